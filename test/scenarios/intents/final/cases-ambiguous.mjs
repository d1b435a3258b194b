// ambiguous: the words fit two (or more) objects equally, nothing in gaze or history settles it -> clarify, offering
// at least the objects (or actions) the person could mean. No gaze in these scenes.
import { vm, surf, app, file, snap, cl, sc, turn, ev } from './lib.mjs';

export default [
  // 1 two running VMs, "the vm"
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'pause the vm',
    expect: cl('ubuntu', 'windows'),
  }),
  // 2 two hidden desktops
  sc({
    objs: [vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'show the desktop',
    expect: cl('linux', 'windows'),
  }),
  // 3 report.pdf vs report.docx
  sc({
    objs: [file('report-pdf', 'report.pdf', 'windows'), file('report-docx', 'report.docx', 'windows'), vm('windows', 'Windows', 'windows')],
    u: 'open the report',
    expect: cl('report-pdf', 'report-docx'),
  }),
  // 4 two snapshots of different VMs
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows'),
      snap('snap-ubu', 'Ubuntu · Monday 09:00', 'linux'), snap('snap-win', 'Windows · Monday 09:30', 'windows')],
    u: 'restore the snapshot',
    expect: cl('snap-ubu', 'snap-win'),
  }),
  // 5 two Ubuntu versions
  sc({
    objs: [vm('ubuntu-22', 'Ubuntu 22.04', 'linux', { power: 'stopped' }), vm('ubuntu-24', 'Ubuntu 24.04', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows')],
    u: 'start ubuntu',
    expect: cl('ubuntu-22', 'ubuntu-24'),
  }),
  // 6 two browsers
  sc({
    objs: [surf('browser-linux', 'Browser (Linux)', 'linux', [60, 60, 900, 700], 1), surf('browser-win', 'Browser (Windows)', 'windows', [1000, 60, 880, 700], 1)],
    u: 'close the browser',
    expect: cl('browser-linux', 'browser-win'),
  }),
  // 7 two apps both labelled Terminal
  sc({
    objs: [app('term-linux', 'Terminal', 'linux'), app('term-win', 'Terminal', 'windows'), vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'launch terminal',
    expect: cl('term-linux', 'term-win'),
  }),
  // 8 two work VMs
  sc({
    objs: [vm('work-linux', 'Work VM (Linux)', 'linux'), vm('work-win', 'Work VM (Windows)', 'windows'), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'snapshot the work vm',
    expect: cl('work-linux', 'work-win'),
  }),
  // 9 a file and an app called notes
  sc({
    objs: [file('notes-file', 'notes.txt', 'linux'), app('notes-app', 'Notes', 'linux'), vm('linux', 'Linux', 'linux')],
    u: 'open notes',
    expect: cl('notes-file', 'notes-app'),
  }),
  // 10 search without saying where
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'search for invoices',
    expect: cl('ubuntu', 'windows'),
  }),
  // 11 "the machine" with two running VMs
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'power off the machine',
    expect: cl('work-vm', 'gaming-pc'),
  }),
  // 12 two paused VMs
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    u: 'resume the vm',
    expect: cl('ubuntu', 'windows'),
  }),
  // 13 two Monday snapshots
  sc({
    objs: [snap('snap-ubu-mon', 'Ubuntu · Monday', 'linux'), snap('snap-win-mon', 'Windows · Monday', 'windows'), snap('snap-win-tue', 'Windows · Tuesday', 'windows'),
      vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: "what's in the monday snapshot?",
    expect: cl('snap-ubu-mon', 'snap-win-mon'),
  }),
  // 14 two snapshots of Windows
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'stopped' }), snap('snap-w1', 'Windows · clean install', 'windows'), snap('snap-w2', 'Windows · with Office', 'windows')],
    u: 'restore the windows snapshot',
    expect: cl('snap-w1', 'snap-w2'),
  }),
  // 15 move "the window" with two windows
  sc({
    objs: [surf('files-win', 'Files', 'linux', [100, 100, 700, 500], 1), surf('editor-win', 'Text Editor', 'linux', [900, 300, 800, 600], 1)],
    u: 'move the window to the left',
    expect: cl('files-win', 'editor-win'),
  }),
  // 16 two terminals
  sc({
    objs: [surf('term-ubuntu', 'Terminal — ubuntu', 'linux', [60, 60, 800, 500], 1), surf('term-work', 'Terminal — work vm', 'linux', [1000, 400, 800, 500], 1)],
    u: 'close the terminal',
    expect: cl('term-ubuntu', 'term-work'),
  }),
  // 17 two budget files
  sc({
    objs: [file('budget-23', 'budget-2023.xlsx', 'windows'), file('budget-24', 'budget-2024.xlsx', 'windows'), file('cv', 'cv.docx', 'windows')],
    u: 'open the budget',
    expect: cl('budget-23', 'budget-24'),
  }),
  // 18 network off, two VMs with the network on
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'turn the network off',
    expect: cl('ubuntu', 'windows'),
  }),
  // 19 two Linux subsystems
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('fedora', 'Fedora', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'pause linux',
    expect: cl('ubuntu', 'fedora'),
  }),
  // 20 two Windows versions
  sc({
    objs: [vm('win10', 'Windows 10', 'windows'), vm('win11', 'Windows 11', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'show me windows',
    expect: cl('win10', 'win11'),
  }),
  // 21 two Linux VMs, "the linux box"
  sc({
    objs: [vm('debian', 'Debian', 'linux'), vm('arch', 'Arch', 'linux'), vm('win11', 'Windows 11', 'windows')],
    u: 'suspend the linux box',
    expect: cl('debian', 'arch'),
  }),
  // 22 two photos
  sc({
    objs: [file('img-1', 'beach.jpg', 'linux'), file('img-2', 'mountains.jpg', 'linux'), file('doc', 'itinerary.pdf', 'linux')],
    u: 'open the photo',
    expect: cl('img-1', 'img-2'),
  }),
  // 23 two editor windows
  sc({
    objs: [surf('ed-notes', 'Editor — notes.md', 'linux', [60, 60, 800, 600], 1), surf('ed-todo', 'Editor — todo.md', 'linux', [950, 200, 800, 600], 1)],
    u: 'focus the editor',
    expect: cl('ed-notes', 'ed-todo'),
  }),
  // 24 two surfaces hidden at the same moment
  sc({
    objs: [surf('mail-win', 'Thunderbird', 'linux'), surf('chat-win', 'Element', 'linux'), vm('linux', 'Linux', 'linux')],
    history: [ev(-6000, 'surface.hidden', 'mail-win'), ev(-6000, 'surface.hidden', 'chat-win')],
    u: 'bring it back',
    expect: cl('mail-win', 'chat-win'),
  }),
  // 25 "the window" with two windows
  sc({
    objs: [surf('calc-win', 'Calculator', 'windows', [100, 100, 400, 500], 1), surf('paint-win', 'Paint', 'windows', [700, 200, 900, 700], 1)],
    u: 'close the window',
    expect: cl('calc-win', 'paint-win'),
  }),
  // 26 two stopped VMs
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux', { power: 'stopped' }), vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' })],
    u: 'start the vm please',
    expect: cl('work-vm', 'gaming-pc'),
  }),
  // 27 two pdfs
  sc({
    objs: [file('lease', 'lease.pdf', 'windows'), file('invoice', 'invoice.pdf', 'windows'), file('photo', 'id-scan.png', 'windows')],
    u: 'open the pdf',
    expect: cl('lease', 'invoice'),
  }),
  // 28 two snapshots of Ubuntu
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), snap('snap-u-a', 'Ubuntu · before kernel update', 'linux'), snap('snap-u-b', 'Ubuntu · after kernel update', 'linux')],
    u: 'restore ubuntu from a snapshot',
    expect: cl('snap-u-a', 'snap-u-b'),
  }),
  // 29 two text editors on different subsystems
  sc({
    objs: [app('edit-linux', 'Text Editor', 'linux'), app('edit-win', 'Text Editor', 'windows'), vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'launch the text editor',
    expect: cl('edit-linux', 'edit-win'),
  }),
  // 30 "make it bigger" with no antecedent and two windows
  sc({
    objs: [surf('vlc-win', 'VLC', 'linux', [100, 100, 640, 400], 1), surf('files-win', 'Files', 'linux', [900, 300, 800, 600], 1)],
    u: 'make it bigger',
    expect: cl('vlc-win', 'files-win'),
  }),
  // 31 "take another look" after a close (README convention)
  sc({
    objs: [surf('invoice-win', 'invoice.pdf', 'windows'), vm('windows', 'Windows', 'windows')],
    history: [turn(-12000, 'close the invoice', 'close', 'invoice-win'), ev(-12000, 'surface.closed', 'invoice-win')],
    u: 'wait, take another look at that',
    expect: cl('restore', 'inspect'),
  }),
  // 32 details of "the gaming pc" when there are two
  sc({
    objs: [vm('gaming-old', 'Gaming PC (old)', 'windows', { power: 'stopped' }), vm('gaming-new', 'Gaming PC (new)', 'windows')],
    u: 'details on the gaming pc',
    expect: cl('gaming-old', 'gaming-new'),
  }),
  // 33 two hidden Office surfaces
  sc({
    objs: [surf('word-win', 'Office — Word', 'windows'), surf('excel-win', 'Office — Excel', 'windows'), vm('windows', 'Windows', 'windows', {}, [100, 100, 1400, 800], 1)],
    u: 'show the office window',
    expect: cl('word-win', 'excel-win'),
  }),
  // 34 hide with two presented windows, no gaze, no history
  sc({
    objs: [surf('slack-win', 'Slack', 'linux', [60, 60, 700, 800], 1), surf('spotify-win', 'Spotify', 'linux', [900, 100, 900, 700], 1)],
    u: 'hide the window',
    expect: cl('slack-win', 'spotify-win'),
  }),
  // 35 two VMs whose network is off
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { network: 'off' }), vm('windows', 'Windows', 'windows', { network: 'off' })],
    u: 'reconnect the vm to the internet',
    expect: cl('ubuntu', 'windows'),
  }),
  // 36 status of "the windows one" with two Windows VMs
  sc({
    objs: [vm('work-win', 'Work (Windows)', 'windows'), vm('home-win', 'Home (Windows)', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'is the windows one running?',
    expect: cl('work-win', 'home-win'),
  }),
  // 37 two contracts
  sc({
    objs: [file('contract-a', 'contract-acme.pdf', 'windows'), file('contract-b', 'contract-globex.pdf', 'windows')],
    u: 'open the contract',
    expect: cl('contract-a', 'contract-b'),
  }),
  // 38 search "my linux machine" with two Linux VMs
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('fedora', 'Fedora', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'search my linux machine for ssh keys',
    expect: cl('ubuntu', 'fedora'),
  }),
  // 39 two paused VMs, "bring it back" with both paused together
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    history: [ev(-20000, 'vm.paused', 'ubuntu'), ev(-20000, 'vm.paused', 'windows')],
    u: 'bring it back',
    expect: cl('ubuntu', 'windows'),
  }),
  // 40 snapshot "the desktop" with two desktops on screen, no gaze
  sc({
    objs: [surf('ubuntu-desktop', 'Ubuntu desktop', 'linux', [60, 60, 880, 700], 1), surf('win-desktop', 'Windows desktop', 'windows', [980, 60, 880, 700], 1)],
    u: 'snapshot the desktop',
    expect: cl('ubuntu-desktop', 'win-desktop'),
  }),
  // 41 two Firefox windows
  sc({
    objs: [surf('ff-1', 'Firefox — mail', 'linux', [60, 60, 900, 700], 1), surf('ff-2', 'Firefox — docs', 'linux', [1000, 100, 880, 700], 1)],
    u: 'close firefox',
    expect: cl('ff-1', 'ff-2'),
  }),
  // 42 two running Windows VMs, "stop windows"
  sc({
    objs: [vm('win-dev', 'Windows (dev)', 'windows'), vm('win-test', 'Windows (test)', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'shut down windows',
    expect: cl('win-dev', 'win-test'),
  }),
];
