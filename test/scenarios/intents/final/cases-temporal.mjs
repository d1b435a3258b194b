// temporal: again / repeat / one more time -> replay; "bring it back" / "show me that again" after a hide -> present,
// after a pause -> resume; "take another look" after a close -> clarify restore / inspect; plus "latest", "yesterday",
// "just now".
import { vm, surf, app, snap, ex, cl, sc, turn, ev } from './lib.mjs';

const RI = () => cl('restore', 'inspect');

export default [
  // ---- replay ----
  // 1
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows'), snap('snap-u1', 'Ubuntu · 10:02', 'linux')],
    history: [turn(-10000, 'snapshot ubuntu', 'snapshot', 'ubuntu'), ev(-8000, 'snapshot.taken', 'snap-u1')],
    u: 'do that again',
    expect: ex('replay', 'ubuntu'),
  }),
  // 2
  sc({
    objs: [vm('windows', 'Windows', 'windows'), app('calc', 'Calculator', 'windows'), app('notepad', 'Notepad', 'windows')],
    history: [turn(-6000, 'launch the calculator', 'launch', 'calc', { app: 'calc' })],
    u: 'one more time',
    expect: ex('replay', 'calc'),
  }),
  // 3
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-12000, 'search windows for invoices', 'search', 'windows', { query: 'invoices' })],
    u: 'repeat that',
    expect: ex('replay', 'windows'),
  }),
  // 4 the most recent turn is repeated
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-60000, 'snapshot the work vm', 'snapshot', 'work-vm'), turn(-5000, 'status of ubuntu', 'status', 'ubuntu')],
    u: 'do it again',
    expect: ex('replay', 'ubuntu'),
  }),
  // 5 hidden, then shown by someone else: hiding again makes sense
  sc({
    objs: [surf('browser-win', 'Browser', 'linux', [200, 100, 1200, 800], 1), vm('linux', 'Linux', 'linux')],
    history: [turn(-20000, 'hide the browser', 'hide', 'browser-win'), ev(-20000, 'surface.hidden', 'browser-win'), ev(-8000, 'surface.presented', 'browser-win')],
    u: 'do that again',
    expect: ex('replay', 'browser-win'),
  }),
  // 6
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux', [400, 300, 700, 450], 1), surf('files-win', 'Files', 'linux', [1200, 100, 600, 500], 1)],
    history: [turn(-4000, 'make the terminal bigger', 'resize', 'terminal-win')],
    u: 'one more time please',
    expect: ex('replay', 'terminal-win'),
  }),
  // 7
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux', [500, 100, 1000, 700], 1), surf('mail-win', 'Thunderbird', 'linux', [1500, 600, 400, 400], 1)],
    history: [turn(-3000, 'move firefox to the left', 'move', 'firefox-win')],
    u: 'again',
    expect: ex('replay', 'firefox-win'),
  }),
  // 8
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux')],
    history: [turn(-30000, 'take a snapshot of the gaming pc', 'snapshot', 'gaming-pc')],
    u: 'again please',
    expect: ex('replay', 'gaming-pc'),
  }),
  // 9
  sc({
    objs: [vm('linux', 'Linux', 'linux'), app('firefox', 'Firefox', 'linux'), app('terminal', 'Terminal', 'linux')],
    history: [turn(-8000, 'launch firefox', 'launch', 'firefox', { app: 'firefox' })],
    u: 'and again',
    expect: ex('replay', 'firefox'),
  }),
  // 10 two snapshots in a row: the later one is repeated
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    history: [turn(-40000, 'snapshot ubuntu', 'snapshot', 'ubuntu'), turn(-9000, 'snapshot windows', 'snapshot', 'windows')],
    u: 'Do it again.',
    expect: ex('replay', 'windows'),
  }),
  // 11
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), app('vscode', 'VS Code', 'linux'), app('gimp', 'GIMP', 'linux')],
    history: [turn(-5000, 'fire up vs code', 'launch', 'vscode', { app: 'vscode' })],
    u: 'once more',
    expect: ex('replay', 'vscode'),
  }),
  // 12
  sc({
    objs: [vm('fedora', 'Fedora', 'linux'), vm('win10', 'Windows 10', 'windows')],
    history: [turn(-15000, 'take a snapshot of fedora', 'snapshot', 'fedora')],
    u: 'same thing again',
    expect: ex('replay', 'fedora'),
  }),
  // 13
  sc({
    objs: [surf('editor-win', 'Text Editor', 'linux', [300, 200, 800, 500], 1), vm('linux', 'Linux', 'linux')],
    history: [turn(-3500, 'make the editor window bigger', 'resize', 'editor-win')],
    u: 'do that once more',
    expect: ex('replay', 'editor-win'),
  }),
  // 14
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-7000, 'snapshot the gaming pc', 'snapshot', 'gaming-pc')],
    u: 'repeat the last command',
    expect: ex('replay', 'gaming-pc'),
  }),
  // 15
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    history: [turn(-25000, 'search ubuntu for holiday photos', 'search', 'ubuntu', { query: 'holiday photos' })],
    u: 'redo that, please',
    expect: ex('replay', 'ubuntu'),
  }),
  // ---- bring it back / show me that again after a hide -> present ----
  // 16
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux'), surf('terminal-win', 'Terminal', 'linux', [200, 200, 800, 500], 1)],
    history: [turn(-9000, 'hide firefox', 'hide', 'firefox-win'), ev(-9000, 'surface.hidden', 'firefox-win')],
    u: 'bring it back',
    expect: ex('present', 'firefox-win'),
  }),
  // 17
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux', { presented: true }, [100, 100, 1200, 800], 1)],
    history: [turn(-14000, 'hide the windows desktop', 'hide', 'windows')],
    u: 'show me that again',
    expect: ex('present', 'windows'),
  }),
  // 18 hidden by RayOS, no turn
  sc({
    objs: [surf('linux-desktop', 'Linux desktop', 'linux'), surf('win-desktop', 'Windows desktop', 'windows', [100, 100, 1000, 700], 1)],
    history: [ev(-5000, 'surface.hidden', 'linux-desktop')],
    u: 'bring it back please',
    expect: ex('present', 'linux-desktop'),
  }),
  // 19 hide is more recent than the pause
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), surf('terminal-win', 'Terminal', 'linux')],
    history: [turn(-15000, 'pause windows', 'pause', 'windows'), ev(-15000, 'vm.paused', 'windows'),
      turn(-4000, 'hide the terminal', 'hide', 'terminal-win'), ev(-4000, 'surface.hidden', 'terminal-win')],
    u: 'bring it back',
    expect: ex('present', 'terminal-win'),
  }),
  // 20 pause is more recent than the hide
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), surf('terminal-win', 'Terminal', 'linux')],
    history: [turn(-20000, 'hide the terminal', 'hide', 'terminal-win'), ev(-20000, 'surface.hidden', 'terminal-win'),
      turn(-4000, 'pause windows', 'pause', 'windows'), ev(-4000, 'vm.paused', 'windows')],
    u: 'bring it back',
    expect: ex('resume', 'windows'),
  }),
  // 21
  sc({
    objs: [surf('calc-win', 'Calculator', 'windows'), surf('excel-win', 'Excel', 'windows', [100, 100, 1400, 850], 1)],
    history: [turn(-2500, 'hide the calculator', 'hide', 'calc-win'), ev(-2400, 'surface.hidden', 'calc-win')],
    u: 'wait, bring that back',
    expect: ex('present', 'calc-win'),
  }),
  // 22
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')],
    history: [turn(-30000, 'hide the ubuntu desktop', 'hide', 'ubuntu')],
    u: 'can you show me that again?',
    expect: ex('present', 'ubuntu'),
  }),
  // 23 named + "back"
  sc({
    objs: [surf('teams-win', 'Teams', 'windows'), surf('outlook-win', 'Outlook', 'windows', [60, 60, 1200, 900], 1)],
    history: [turn(-50000, 'hide teams', 'hide', 'teams-win'), ev(-50000, 'surface.hidden', 'teams-win')],
    u: 'bring teams back',
    expect: ex('present', 'teams-win'),
  }),
  // 24
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux', { presented: true }, [100, 80, 1500, 900], 1)],
    history: [turn(-120000, 'hide the gaming pc', 'hide', 'gaming-pc')],
    u: 'ok bring it back now',
    expect: ex('present', 'gaming-pc'),
  }),
  // 25
  sc({
    objs: [surf('files-win', 'Files', 'linux'), surf('editor-win', 'Text Editor', 'linux', [300, 100, 900, 700], 1)],
    history: [turn(-6000, 'hide the files window', 'hide', 'files-win'), ev(-6000, 'surface.hidden', 'files-win')],
    u: 'show me that again pls',
    expect: ex('present', 'files-win'),
  }),
  // ---- after a pause -> resume ----
  // 26
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'paused' }), vm('work-vm', 'Work VM', 'linux')],
    history: [turn(-10000, 'pause the gaming pc', 'pause', 'gaming-pc'), ev(-10000, 'vm.paused', 'gaming-pc')],
    u: 'bring it back',
    expect: ex('resume', 'gaming-pc'),
  }),
  // 27 paused by RayOS, no turn
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('linux', 'Linux', 'linux')],
    history: [ev(-45000, 'vm.paused', 'windows')],
    u: 'bring it back',
    expect: ex('resume', 'windows'),
  }),
  // 28
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    history: [turn(-8000, 'pause ubuntu', 'pause', 'ubuntu'), ev(-8000, 'vm.paused', 'ubuntu')],
    u: 'show me that again',
    expect: ex('resume', 'ubuntu'),
  }),
  // 29
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows', { power: 'paused' }), vm('home', 'Home', 'linux')],
    history: [turn(-90000, 'pause work vm', 'pause', 'work-vm'), ev(-90000, 'vm.paused', 'work-vm')],
    u: 'ok, bring the work vm back',
    expect: ex('resume', 'work-vm'),
  }),
  // 30
  sc({
    objs: [vm('fedora', 'Fedora', 'linux', { power: 'paused' }), vm('win11', 'Windows 11', 'windows')],
    history: [turn(-5000, 'pause fedora', 'pause', 'fedora'), ev(-4900, 'vm.paused', 'fedora')],
    u: 'alright, bring it back',
    expect: ex('resume', 'fedora'),
  }),
  // 31 paused VM still on screen
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'paused' }, [100, 100, 1400, 850], 1), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-12000, 'pause the gaming pc', 'pause', 'gaming-pc'), ev(-12000, 'vm.paused', 'gaming-pc')],
    u: 'bring that back please',
    expect: ex('resume', 'gaming-pc'),
  }),
  // 32 RayOS paused it; named
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    history: [ev(-300000, 'vm.paused', 'ubuntu')],
    u: 'bring ubuntu back',
    expect: ex('resume', 'ubuntu'),
  }),
  // ---- take another look after a close -> restore or inspect ----
  // 33
  sc({
    objs: [surf('browser-win', 'Browser', 'linux'), vm('linux', 'Linux', 'linux')],
    history: [turn(-8000, 'close the browser', 'close', 'browser-win'), ev(-8000, 'surface.closed', 'browser-win')],
    u: 'take another look',
    expect: RI(),
  }),
  // 34
  sc({
    objs: [surf('terminal-win', 'Terminal', 'linux'), surf('files-win', 'Files', 'linux', [200, 100, 900, 700], 1)],
    history: [turn(-15000, 'close the terminal', 'close', 'terminal-win'), ev(-15000, 'surface.closed', 'terminal-win')],
    u: 'let me take another look at it',
    expect: RI(),
  }),
  // 35 closed by RayOS, no turn
  sc({
    objs: [surf('report-win', 'report.pdf', 'windows'), vm('windows', 'Windows', 'windows')],
    history: [ev(-6000, 'surface.closed', 'report-win')],
    u: 'I want to take another look at that',
    expect: RI(),
  }),
  // 36
  sc({
    objs: [surf('pdf-win', 'PDF Viewer', 'linux'), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-20000, 'close the pdf viewer', 'close', 'pdf-win'), ev(-20000, 'surface.closed', 'pdf-win')],
    u: 'can I take another look?',
    expect: RI(),
  }),
  // 37
  sc({
    objs: [surf('calc-sheet', 'LibreOffice Calc', 'linux'), surf('mail-win', 'Thunderbird', 'linux', [100, 100, 800, 600], 1)],
    history: [turn(-4000, 'close the spreadsheet window', 'close', 'calc-sheet'), ev(-4000, 'surface.closed', 'calc-sheet')],
    u: 'hmm, take another look at that',
    expect: RI(),
  }),
  // 38
  sc({
    objs: [surf('vlc-win', 'VLC', 'linux'), vm('linux', 'Linux', 'linux')],
    history: [turn(-30000, 'close vlc', 'close', 'vlc-win'), ev(-30000, 'surface.closed', 'vlc-win')],
    u: 'take another look please',
    expect: RI(),
  }),
  // 39
  sc({
    objs: [surf('teams-win', 'Teams', 'windows'), surf('word-win', 'Word', 'windows', [100, 100, 1100, 800], 1)],
    history: [turn(-9000, 'close teams', 'close', 'teams-win'), ev(-9000, 'surface.closed', 'teams-win')],
    u: 'hold on, I need to take another look',
    expect: RI(),
  }),
  // ---- time words on snapshots and events ----
  // 40
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), snap('snap-yday', 'Ubuntu · yesterday 17:10', 'linux'), snap('snap-today', 'Ubuntu · today 08:30', 'linux'),
      snap('snap-win-yday', 'Windows · yesterday 12:00', 'windows'), vm('windows', 'Windows', 'windows')],
    u: "restore yesterday's ubuntu snapshot",
    expect: ex('restore', 'snap-yday'),
  }),
  // 41
  sc({
    objs: [vm('windows', 'Windows', 'windows'), snap('snap-morning', 'Windows · this morning 09:02', 'windows'), snap('snap-lastweek', 'Windows · last week', 'windows')],
    u: "go back to this morning's snapshot of windows",
    expect: ex('restore', 'snap-morning'),
  }),
  // 42 "latest" by when the snapshots were taken
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), snap('snap-before', 'Work VM · before update', 'linux'), snap('snap-after', 'Work VM · after update', 'linux')],
    history: [ev(-86400000, 'snapshot.taken', 'snap-before'), ev(-600000, 'snapshot.taken', 'snap-after')],
    u: 'restore the latest snapshot of the work vm',
    expect: ex('restore', 'snap-after'),
  }),
  // 43 "the snapshot you just took"
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), snap('snap-old', 'Gaming PC · clean', 'windows'), snap('snap-new', 'Gaming PC · auto', 'windows')],
    history: [ev(-259200000, 'snapshot.taken', 'snap-old'), turn(-6000, 'snapshot the gaming pc', 'snapshot', 'gaming-pc'), ev(-5000, 'snapshot.taken', 'snap-new')],
    u: 'show me details of the snapshot you just took',
    expect: ex('inspect', 'snap-new'),
  }),
  // 44 "why did that just happen" -> the latest event
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'suspended' }), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [ev(-3000, 'vm.suspended', 'gaming-pc')],
    u: 'why did that just happen?',
    expect: ex('explain', 'gaming-pc'),
  }),
  // 45
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { network: 'off' }), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    history: [ev(-1200000, 'vm.network_off', 'ubuntu'), ev(-2000, 'vm.paused', 'windows')],
    u: 'whoa, why did that just happen',
    expect: ex('explain', 'windows'),
  }),
  // 46
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    history: [turn(-70000, 'pause ubuntu', 'pause', 'ubuntu'), ev(-70000, 'vm.paused', 'ubuntu'), turn(-20000, 'status of windows', 'status', 'windows')],
    u: 'bring ubuntu back please',
    expect: ex('resume', 'ubuntu'),
  }),
  // 47
  sc({
    objs: [surf('slack-win', 'Slack', 'linux'), surf('term-win', 'Terminal', 'linux', [100, 100, 900, 600], 1)],
    history: [ev(-40000, 'surface.hidden', 'slack-win'), turn(-15000, 'make the terminal bigger', 'resize', 'term-win')],
    u: 'show me slack again',
    expect: ex('present', 'slack-win'),
  }),
];
