// named: the utterance names its target (by label, subsystem or a nickname the label carries). No gaze help needed.
import { vm, surf, app, file, snap, ex, sc, turn, ev } from './lib.mjs';

export default [
  // 1
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('win11', 'Windows 11', 'windows')],
    u: 'show me the ubuntu desktop',
    expect: ex('present', 'ubuntu'),
  }),
  // 2
  sc({
    objs: [vm('win', 'Windows', 'windows', {}, [120, 80, 1280, 800]), vm('linux', 'Linux', 'linux')],
    u: 'Hide the Windows desktop.',
    expect: ex('hide', 'win'),
  }),
  // 3
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux')],
    u: 'pause the gaming pc',
    expect: ex('pause', 'gaming-pc'),
  }),
  // 4
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux', { power: 'paused' })],
    u: 'resume work vm please',
    expect: ex('resume', 'work-vm'),
  }),
  // 5
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'stopped' }), vm('win', 'Windows', 'windows')],
    u: "start up the ubuntu box",
    expect: ex('start', 'ubuntu'),
  }),
  // 6
  sc({
    objs: [vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'shut down windows',
    expect: ex('stop', 'windows'),
  }),
  // 7
  sc({
    objs: [vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    u: 'Suspend the Linux VM',
    expect: ex('suspend', 'linux'),
  }),
  // 8
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('gaming-pc', 'Gaming PC', 'windows'),
      snap('snap-work-1', 'Work VM · Monday 09:14', 'linux')],
    u: 'take a snapshot of the work vm',
    expect: ex('snapshot', 'work-vm'),
  }),
  // 9
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux'),
      snap('snap-win-tue', 'Windows · Tuesday 14:02', 'windows'),
      snap('snap-win-fri', 'Windows · Friday 18:40', 'windows'),
      snap('snap-ubu-tue', 'Ubuntu · Tuesday 10:30', 'linux')],
    u: 'restore the windows snapshot from tuesday',
    expect: ex('restore', 'snap-win-tue'),
  }),
  // 10
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'),
      snap('snap-pre-upgrade', 'Ubuntu · before upgrade', 'linux'),
      snap('snap-fresh', 'Ubuntu · fresh install', 'linux')],
    u: 'roll ubuntu back to the snapshot from before the upgrade',
    expect: ex('restore', 'snap-pre-upgrade'),
  }),
  // 11
  sc({
    objs: [vm('linux', 'Linux', 'linux'), app('firefox', 'Firefox', 'linux'), app('terminal', 'Terminal', 'linux'),
      app('notepad', 'Notepad', 'windows')],
    u: 'launch firefox',
    expect: ex('launch', 'firefox', { app: 'firefox' }),
  }),
  // 12
  sc({
    objs: [vm('windows', 'Windows', 'windows'), app('calc', 'Calculator', 'windows'), app('paint', 'Paint', 'windows')],
    u: 'could you run the calculator?',
    expect: ex('launch', 'calc', { app: 'calc' }),
  }),
  // 13
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), app('vscode', 'VS Code', 'linux'), app('gimp', 'GIMP', 'linux')],
    u: 'fire up vs code',
    expect: ex('launch', 'vscode', { app: 'vscode' }),
  }),
  // 14
  sc({
    objs: [vm('windows', 'Windows', 'windows'), file('q3-report', 'Q3-report.pdf', 'windows'),
      file('q2-report', 'Q2-report.pdf', 'windows')],
    u: 'open Q3-report.pdf',
    expect: ex('open', 'q3-report'),
  }),
  // 15
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), file('budget', 'budget-2024.xlsx', 'linux'), file('cv', 'cv.docx', 'linux')],
    u: 'open my budget spreadsheet',
    expect: ex('open', 'budget'),
  }),
  // 16
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux', [200, 150, 900, 560], 2), surf('files-win', 'Files', 'linux', [1150, 200, 700, 600], 1)],
    u: 'close the terminal window',
    expect: ex('close', 'terminal-win'),
  }),
  // 17
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux', [100, 100, 1200, 800], 1), surf('terminal-win', 'Terminal', 'linux', [600, 300, 900, 600], 2)],
    u: 'bring firefox to the front',
    expect: ex('focus', 'firefox-win'),
  }),
  // 18
  sc({
    objs: [surf('win-desktop', 'Windows desktop', 'windows', [40, 40, 1200, 760], 1), surf('ubuntu-desktop', 'Ubuntu desktop', 'linux', [700, 250, 1180, 780], 2)],
    u: 'focus the windows desktop',
    expect: ex('focus', 'win-desktop'),
  }),
  // 19
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux', [700, 300, 800, 500], 2), surf('editor-win', 'Text Editor', 'linux', [100, 100, 600, 700], 1)],
    u: 'move the terminal over to the left side',
    expect: ex('move', 'terminal-win'),
  }),
  // 20
  sc({
    objs: [surf('win-desktop', 'Windows desktop', 'windows', [300, 200, 1024, 640], 1), vm('linux', 'Linux', 'linux')],
    u: 'make the windows desktop bigger',
    expect: ex('resize', 'win-desktop'),
  }),
  // 21
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' }), vm('work-vm', 'Work VM', 'linux')],
    u: 'is the gaming pc running?',
    expect: ex('status', 'gaming-pc'),
  }),
  // 22
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('win10', 'Windows 10', 'windows')],
    u: "what's the status of ubuntu",
    expect: ex('status', 'ubuntu'),
  }),
  // 23
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows'), vm('home', 'Home', 'linux')],
    u: 'show me details for the work vm',
    expect: ex('inspect', 'work-vm'),
  }),
  // 24
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('linux', 'Linux', 'linux')],
    history: [ev(-60000, 'vm.paused', 'windows')],
    u: 'why did you pause the windows vm?',
    expect: ex('explain', 'windows'),
  }),
  // 25
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { network: 'off' }), vm('windows', 'Windows', 'windows')],
    history: [ev(-240000, 'vm.network_off', 'ubuntu')],
    u: "why is ubuntu's network off",
    expect: ex('explain', 'ubuntu'),
  }),
  // 26
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'search the ubuntu vm for tax returns',
    expect: ex('search', 'ubuntu', { query: 'tax returns' }),
  }),
  // 27
  sc({
    objs: [vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'find invoices on windows',
    expect: ex('search', 'windows', { query: 'invoices' }),
  }),
  // 28
  sc({
    objs: [vm('linux', 'Linux', 'linux'), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'look for vacation photos on the linux vm',
    expect: ex('search', 'linux', { query: 'vacation photos' }),
  }),
  // 29
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'Search Work VM for Q3 Budget',
    expect: ex('search', 'work-vm', { query: 'q3 budget' }),
  }),
  // 30
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'turn off networking on the windows vm',
    expect: ex('network_off', 'windows'),
  }),
  // 31
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { network: 'off' }), vm('windows', 'Windows', 'windows')],
    u: 'reconnect ubuntu to the internet',
    expect: ex('network_on', 'ubuntu'),
  }),
  // 32
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux')],
    u: 'disconnect the gaming pc from the network',
    expect: ex('network_off', 'gaming-pc'),
  }),
  // 33
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux', [80, 60, 1100, 900], 1), surf('calc-win', 'Calculator', 'windows', [1400, 500, 360, 480], 2)],
    u: 'hide firefox',
    expect: ex('hide', 'firefox-win'),
  }),
  // 34
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('personal', 'Personal', 'windows')],
    u: 'kill the work vm',
    expect: ex('stop', 'work-vm'),
  }),
  // 35
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'put windows to sleep',
    expect: ex('suspend', 'windows'),
  }),
  // 36
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    u: 'unpause ubuntu',
    expect: ex('resume', 'ubuntu'),
  }),
  // 37
  sc({
    objs: [vm('win11', 'Windows 11', 'windows'), vm('debian', 'Debian', 'linux')],
    u: 'snapshot windows 11',
    expect: ex('snapshot', 'win11'),
  }),
  // 38
  sc({
    objs: [vm('windows', 'Windows', 'windows'), app('notepad', 'Notepad', 'windows'), app('gedit', 'gedit', 'linux'), vm('linux', 'Linux', 'linux')],
    u: 'launch notepad on windows',
    expect: ex('launch', 'notepad', { app: 'notepad' }),
  }),
  // 39
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows'),
      app('terminal-linux', 'Terminal', 'linux'), app('terminal-win', 'Windows Terminal', 'windows')],
    u: 'launch the linux terminal',
    expect: ex('launch', 'terminal-linux', { app: 'terminal-linux' }),
  }),
  // 40
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux', {}, [100, 100, 1000, 700])],
    u: 'put the gaming pc on screen',
    expect: ex('present', 'gaming-pc'),
  }),
  // 41
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'suspended' }), vm('windows', 'Windows', 'windows')],
    history: [ev(-1800000, 'vm.suspended', 'ubuntu')],
    u: 'why did ubuntu get suspended?',
    expect: ex('explain', 'ubuntu'),
  }),
  // 42
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('fedora', 'Fedora', 'linux')],
    u: 'how is the windows vm doing',
    expect: ex('status', 'windows'),
  }),
  // 43
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'stopped' }),
      snap('snap-clean', 'Windows · clean install', 'windows'), snap('snap-office', 'Windows · after Office setup', 'windows')],
    u: 'restore the clean install snapshot',
    expect: ex('restore', 'snap-clean'),
  }),
  // 44
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    u: 'find my ssh keys in the ubuntu vm',
    expect: ex('search', 'ubuntu', { query: 'ssh keys' }),
  }),
  // 45
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux', [400, 200, 900, 600], 1), surf('mail-win', 'Thunderbird', 'linux', [50, 50, 300, 400], 2)],
    u: 'resize the firefox window',
    expect: ex('resize', 'firefox-win'),
  }),
  // 46
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { power: 'stopped' })],
    u: 'stop the ubuntu vm',
    expect: ex('stop', 'ubuntu'),
  }),
  // 47
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux', { network: 'off' }), vm('gaming-pc', 'Gaming PC', 'windows', { network: 'off' })],
    u: 'turn the network back on for the work vm',
    expect: ex('network_on', 'work-vm'),
  }),
  // 48
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux', [900, 500, 800, 450], 1), surf('vlc-win', 'VLC', 'linux', [100, 100, 640, 400], 2)],
    u: 'focus on the terminal',
    expect: ex('focus', 'terminal-win'),
  }),
  // 49
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'),
      snap('snap-ubu-fri', 'Ubuntu · Friday 17:55', 'linux'), snap('snap-ubu-mon', 'Ubuntu · Monday 08:03', 'linux')],
    u: 'what is in the friday snapshot?',
    expect: ex('inspect', 'snap-ubu-fri'),
  }),
  // 50
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux'), surf('firefox-win', 'Firefox', 'linux', [300, 120, 1200, 820], 1)],
    u: 'open the terminal window again',
    history: [turn(-90000, 'hide the terminal', 'hide', 'terminal-win'), ev(-90000, 'surface.hidden', 'terminal-win')],
    expect: ex('open', 'terminal-win'),
  }),
  // 51
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows'), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'Take a snapshot of the Gaming PC, please.',
    expect: ex('snapshot', 'gaming-pc'),
  }),
  // 52
  sc({
    objs: [vm('linux', 'Linux', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows', { power: 'stopped' })],
    u: 'boot the windows vm',
    expect: ex('start', 'windows'),
  }),
];
