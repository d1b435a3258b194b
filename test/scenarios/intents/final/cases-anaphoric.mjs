// anaphoric: "it", "that", "its", "there", "the other one", "the same for X" resolved through the conversation.
// No gaze unless said otherwise. When nothing earlier can be the antecedent and several objects fit: clarify.
import { vm, surf, app, file, snap, ex, cl, sc, turn, ev } from './lib.mjs';

export default [
  // 1
  sc({
    objs: [vm('windows', 'Windows', 'windows', {}, [160, 90, 1400, 860], 1), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-4000, 'show the windows desktop', 'present', 'windows'), ev(-3800, 'vm.presented', 'windows')],
    u: 'now snapshot it',
    expect: ex('snapshot', 'windows'),
  }),
  // 2
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { power: 'stopped' })],
    history: [turn(-20000, 'start ubuntu', 'start', 'ubuntu'), ev(-15000, 'vm.started', 'ubuntu')],
    u: 'ok show it',
    expect: ex('present', 'ubuntu'),
  }),
  // 3
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux', [300, 200, 900, 560], 2), surf('files-win', 'Files', 'linux', [100, 100, 700, 500], 1)],
    history: [turn(-7000, 'open the terminal window', 'open', 'terminal-win'), ev(-6900, 'surface.presented', 'terminal-win')],
    u: 'close it',
    expect: ex('close', 'terminal-win'),
  }),
  // 4
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux')],
    history: [turn(-9000, 'show me details about the gaming pc', 'inspect', 'gaming-pc')],
    u: 'pause it',
    expect: ex('pause', 'gaming-pc'),
  }),
  // 5 most recent antecedent wins
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('ubuntu', 'Ubuntu', 'linux', {}, [160, 90, 1400, 860], 1)],
    history: [turn(-30000, 'status of work vm', 'status', 'work-vm'), turn(-5000, 'show me ubuntu', 'present', 'ubuntu')],
    u: 'take a snapshot of it',
    expect: ex('snapshot', 'ubuntu'),
  }),
  // 6
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('linux', 'Linux', 'linux')],
    history: [ev(-120000, 'vm.paused', 'windows'), turn(-8000, 'why did windows pause?', 'explain', 'windows')],
    u: 'ok, resume it',
    expect: ex('resume', 'windows'),
  }),
  // 7
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows', {}, [160, 90, 1400, 860], 1), vm('home', 'Home', 'linux')],
    history: [turn(-300000, 'hide the work vm', 'hide', 'work-vm'), turn(-12000, 'show the work vm', 'present', 'work-vm')],
    u: 'hide it again',
    expect: ex('hide', 'work-vm'),
  }),
  // 8 "the other one" with two VMs
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    history: [turn(-5000, 'pause ubuntu', 'pause', 'ubuntu'), ev(-4800, 'vm.paused', 'ubuntu')],
    u: 'now the other one',
    expect: ex('pause', 'windows'),
  }),
  // 9 correction: "no, the other one"
  sc({
    objs: [vm('linux', 'Linux', 'linux', {}, [160, 90, 1400, 860], 1), vm('windows', 'Windows', 'windows')],
    history: [turn(-3000, 'show the desktop', 'present', 'linux'), ev(-2900, 'vm.presented', 'linux')],
    u: 'no, the other one',
    expect: ex('present', 'windows'),
  }),
  // 10 CLARIFY: no antecedent, two windows, no gaze
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux', [100, 100, 800, 600], 1), surf('terminal-win', 'Terminal', 'linux', [1000, 200, 800, 600], 1)],
    u: 'close it',
    expect: cl('firefox-win', 'terminal-win'),
  }),
  // 11 CLARIFY: no antecedent, two running VMs
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'pause it',
    expect: cl('ubuntu', 'windows'),
  }),
  // 12 event-only antecedent: RayOS cut the network
  sc({
    objs: [vm('windows', 'Windows', 'windows', { network: 'off' }), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [ev(-10000, 'vm.network_off', 'windows')],
    u: 'turn its network back on',
    expect: ex('network_on', 'windows'),
  }),
  // 13
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    history: [turn(-15000, 'search ubuntu for invoices', 'search', 'ubuntu', { query: 'invoices' })],
    u: 'now search it for receipts',
    expect: ex('search', 'ubuntu', { query: 'receipts' }),
  }),
  // 14
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux', [600, 400, 640, 400], 2), surf('editor-win', 'Text Editor', 'linux', [100, 100, 900, 700], 1)],
    history: [turn(-4000, 'focus the terminal', 'focus', 'terminal-win')],
    u: 'make it bigger',
    expect: ex('resize', 'terminal-win'),
  }),
  // 15
  sc({
    objs: [surf('editor-win', 'Text Editor', 'linux', [100, 100, 800, 600], 2), surf('browser-win', 'Firefox', 'linux', [700, 150, 1100, 800], 1)],
    history: [turn(-6000, 'open the text editor window', 'open', 'editor-win')],
    u: 'move it to the right',
    expect: ex('move', 'editor-win'),
  }),
  // 16
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [160, 90, 1400, 860], 1), vm('work-vm', 'Work VM', 'linux')],
    history: [turn(-10000, 'show the gaming pc', 'present', 'gaming-pc')],
    u: "what's its status?",
    expect: ex('status', 'gaming-pc'),
  }),
  // 17
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('gaming-pc', 'Gaming PC', 'windows')],
    history: [turn(-30000, 'start the work vm', 'start', 'work-vm'), ev(-25000, 'vm.started', 'work-vm')],
    u: 'and cut its network',
    expect: ex('network_off', 'work-vm'),
  }),
  // 18
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'stopped' }), snap('snap-clean', 'Windows · clean install', 'windows'),
      snap('snap-dev', 'Windows · dev tools', 'windows')],
    history: [turn(-60000, 'restore the clean install snapshot', 'restore', 'snap-clean')],
    u: 'tell me more about it',
    expect: ex('inspect', 'snap-clean'),
  }),
  // 19
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('fedora', 'Fedora', 'linux')],
    history: [turn(-8000, 'inspect ubuntu', 'inspect', 'ubuntu')],
    u: 'ok snapshot that',
    expect: ex('snapshot', 'ubuntu'),
  }),
  // 20 "the same for X"
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    history: [turn(-6000, 'snapshot ubuntu', 'snapshot', 'ubuntu')],
    u: 'do the same for windows',
    expect: ex('snapshot', 'windows'),
  }),
  // 21
  sc({
    objs: [vm('linux', 'Linux', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    history: [turn(-4000, 'pause linux', 'pause', 'linux'), ev(-3900, 'vm.paused', 'linux')],
    u: 'and windows too',
    expect: ex('pause', 'windows'),
  }),
  // 22 "that one" through history
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux', { power: 'stopped' }), vm('home', 'Home', 'windows')],
    history: [turn(-9000, 'details on the work vm', 'inspect', 'work-vm')],
    u: 'start that one',
    expect: ex('start', 'work-vm'),
  }),
  // 23 "there"
  sc({
    objs: [vm('windows', 'Windows', 'windows', {}, [160, 90, 1400, 860], 1), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-5000, 'show windows', 'present', 'windows')],
    u: 'search there for invoices',
    expect: ex('search', 'windows', { query: 'invoices' }),
  }),
  // 24 "its"
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [160, 90, 1400, 860], 1), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-7000, 'bring up the gaming pc', 'present', 'gaming-pc')],
    u: 'turn off its wifi',
    expect: ex('network_off', 'gaming-pc'),
  }),
  // 25 most recent of two surfaces
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux'), surf('terminal-win', 'Terminal', 'linux', [300, 200, 800, 500], 1)],
    history: [turn(-8000, 'hide firefox', 'hide', 'firefox-win'), turn(-3000, 'show the terminal', 'present', 'terminal-win')],
    u: 'hide it',
    expect: ex('hide', 'terminal-win'),
  }),
  // 26 "too" after a different action
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-9000, 'pause windows', 'pause', 'windows'), turn(-2000, 'status of ubuntu', 'status', 'ubuntu')],
    u: 'pause it too',
    expect: ex('pause', 'ubuntu'),
  }),
  // 27
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'suspended' }), vm('work-vm', 'Work VM', 'linux')],
    history: [ev(-600000, 'vm.suspended', 'gaming-pc'), turn(-6000, 'why is the gaming pc suspended?', 'explain', 'gaming-pc')],
    u: 'wake it up',
    expect: ex('resume', 'gaming-pc'),
  }),
  // 28 an old but only antecedent
  sc({
    objs: [vm('windows', 'Windows', 'windows', {}, [160, 90, 1400, 860], 1), vm('linux', 'Linux', 'linux', { power: 'stopped' })],
    history: [turn(-180000, 'show windows', 'present', 'windows')],
    u: 'hide it please',
    expect: ex('hide', 'windows'),
  }),
  // 29 details about the app just launched
  sc({
    objs: [vm('windows', 'Windows', 'windows'), app('excel', 'Excel', 'windows'), app('word', 'Word', 'windows')],
    history: [turn(-5000, 'launch excel', 'launch', 'excel', { app: 'excel' })],
    u: 'show me details about it',
    expect: ex('inspect', 'excel'),
  }),
  // 30
  sc({
    objs: [file('contract', 'contract.pdf', 'windows'), file('nda', 'nda.pdf', 'windows'), vm('windows', 'Windows', 'windows')],
    history: [turn(-20000, 'show me details on contract.pdf', 'inspect', 'contract')],
    u: 'ok open it',
    expect: ex('open', 'contract'),
  }),
  // 31 "the other one" for hide between two surfaces
  sc({
    objs: [surf('win-desktop', 'Windows desktop', 'windows', [60, 60, 900, 700], 1), surf('ubuntu-desktop', 'Ubuntu desktop', 'linux', [1000, 60, 880, 700], 1)],
    history: [turn(-5000, 'hide the windows desktop', 'hide', 'win-desktop'), ev(-4900, 'surface.hidden', 'win-desktop')],
    u: 'oops, I meant the other one',
    expect: ex('hide', 'ubuntu-desktop'),
  }),
  // 32 CLARIFY: "it" with no history, two snapshots
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), snap('snap-a', 'Ubuntu · Monday', 'linux'), snap('snap-b', 'Ubuntu · Thursday', 'linux')],
    u: 'restore it',
    expect: cl('snap-a', 'snap-b'),
  }),
  // 33 CLARIFY: "that" with no history, two files, no gaze
  sc({
    objs: [file('photo1', 'IMG_2041.jpg', 'linux'), file('photo2', 'IMG_2042.jpg', 'linux'), vm('linux', 'Linux', 'linux')],
    u: 'open that',
    expect: cl('photo1', 'photo2'),
  }),
  // 34 CLARIFY: "it" with no history, two VMs with the network on
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'turn its network off',
    expect: cl('work-vm', 'gaming-pc'),
  }),
  // 35 a snapshot was just taken of it; "suspend it" still refers to the VM named in the turn
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows'), vm('ubuntu', 'Ubuntu', 'linux'), snap('snap-work-new', 'Work VM · just now', 'windows')],
    history: [turn(-12000, 'snapshot the work vm', 'snapshot', 'work-vm'), ev(-9000, 'snapshot.taken', 'snap-work-new')],
    u: 'great, now suspend it',
    expect: ex('suspend', 'work-vm'),
  }),
  // 36
  sc({
    objs: [vm('debian', 'Debian', 'linux'), vm('win10', 'Windows 10', 'windows')],
    history: [turn(-6000, 'how is debian doing?', 'status', 'debian')],
    u: 'stop it',
    expect: ex('stop', 'debian'),
  }),
  // 37 "that thing"
  sc({
    objs: [surf('teams-win', 'Teams', 'windows', [900, 100, 900, 800], 1), surf('outlook-win', 'Outlook', 'windows', [60, 100, 800, 800], 1)],
    history: [turn(-4000, 'bring teams to the front', 'focus', 'teams-win')],
    u: 'ugh, close that thing',
    expect: ex('close', 'teams-win'),
  }),
  // 38 "it" in a question
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'suspended' }), vm('windows', 'Windows', 'windows')],
    history: [ev(-900000, 'vm.suspended', 'ubuntu'), turn(-7000, 'is ubuntu ok?', 'status', 'ubuntu')],
    u: 'why did it get suspended?',
    expect: ex('explain', 'ubuntu'),
  }),
  // 39 same action on a named other target
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { network: 'off' }), vm('work-vm', 'Work VM', 'linux')],
    history: [turn(-5000, 'disconnect the gaming pc from the network', 'network_off', 'gaming-pc')],
    u: 'same for the work vm',
    expect: ex('network_off', 'work-vm'),
  }),
  // 40
  sc({
    objs: [vm('fedora', 'Fedora', 'linux', {}, [160, 90, 1400, 860], 1), vm('windows', 'Windows', 'windows')],
    history: [turn(-11000, 'put fedora on screen', 'present', 'fedora')],
    u: 'can you take a snapshot of that for me',
    expect: ex('snapshot', 'fedora'),
  }),
  // 41 "the other one" after a launch
  sc({
    objs: [app('chrome', 'Chrome', 'windows'), app('edge', 'Edge', 'windows'), vm('windows', 'Windows', 'windows')],
    history: [turn(-4000, 'launch chrome', 'launch', 'chrome', { app: 'chrome' })],
    u: 'actually, launch the other one',
    expect: ex('launch', 'edge', { app: 'edge' }),
  }),
  // 42
  sc({
    objs: [vm('win11', 'Windows 11', 'windows', {}, [160, 90, 1400, 860], 1), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-3000, 'show windows 11', 'present', 'win11'), ev(-2900, 'vm.presented', 'win11')],
    u: 'look for lease agreements in it',
    expect: ex('search', 'win11', { query: 'lease agreements' }),
  }),
  // 43 CLARIFY: "it" with no history, two hidden surfaces
  sc({
    objs: [surf('notes-win', 'Notes', 'linux'), surf('music-win', 'Rhythmbox', 'linux'), vm('linux', 'Linux', 'linux')],
    u: 'show it',
    expect: cl('notes-win', 'music-win'),
  }),
  // 44
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    history: [turn(-40000, 'pause ubuntu', 'pause', 'ubuntu'), ev(-39000, 'vm.paused', 'ubuntu'), turn(-10000, 'what state is ubuntu in', 'status', 'ubuntu')],
    u: 'ok unpause it',
    expect: ex('resume', 'ubuntu'),
  }),
  // 45
  sc({
    objs: [surf('vlc-win', 'VLC', 'linux', [200, 200, 640, 400], 1), surf('files-win', 'Files', 'linux', [1000, 300, 800, 600], 1)],
    history: [turn(-5000, 'move vlc to the top left', 'move', 'vlc-win')],
    u: 'now make it a bit smaller',
    expect: ex('resize', 'vlc-win'),
  }),
  // 46 CLARIFY: "it" with no history, two stopped VMs
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows', { power: 'stopped' })],
    u: 'start it up',
    expect: cl('ubuntu', 'windows'),
  }),
];
