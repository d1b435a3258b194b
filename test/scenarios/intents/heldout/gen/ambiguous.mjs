// ambiguous: the words fit two (or more) objects equally → clarify offering them; a few where only one of them
// satisfies the action's precondition, where a careful assistant just does it → execute.
export default function ambiguous({ vm, surface, app, file, snapshot, scene, X, C }) {
  const desk = ({ lin = {}, win = {}, linLabel = 'Linux', winLabel = 'Windows', extra = [] } = {}) =>
    scene([
      vm('linux', linLabel, 'linux', { power: 'running', presented: false, network: 'on', ...lin }),
      vm('windows', winLabel, 'windows', { power: 'running', presented: false, network: 'on', ...win }),
      ...extra,
    ]);
  const twoLinux = ({ a = {}, b = {}, extra = [] } = {}) =>
    scene([
      vm('ubuntu', 'Ubuntu', 'linux', { power: 'running', network: 'on', ...a }),
      vm('fedora', 'Fedora', 'linux', { power: 'running', network: 'on', ...b }),
      vm('windows', 'Windows', 'windows', { power: 'stopped', network: 'on' }),
      ...extra,
    ]);
  const twoWindows = ({ a = {}, b = {} } = {}) =>
    scene([
      vm('win11', 'Windows 11', 'windows', { power: 'running', network: 'on', ...a }),
      vm('winsrv', 'Windows Server 2022', 'windows', { power: 'running', network: 'on', ...b }),
      vm('linux', 'Linux', 'linux', { power: 'stopped', network: 'on' }),
    ]);
  const linuxSurfaces = () =>
    scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running' }),
      surface('linux-desktop', 'Linux desktop', 'linux', [40, 60, 900, 680], 1),
      surface('linux-terminal', 'Linux terminal', 'linux', [980, 60, 900, 680], 1),
    ]);
  const twoDesktops = (presented) =>
    scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running' }),
      surface('linux-desktop', 'Linux desktop', 'linux', presented ? [40, 60, 900, 680] : undefined, presented ? 1 : undefined, { presented }),
      surface('windows-desktop', 'Windows desktop', 'windows', presented ? [980, 60, 900, 680] : undefined, presented ? 1 : undefined, { presented }),
    ]);
  const winSnaps = () => [snapshot('snap-clean', 'clean install', 'windows'), snapshot('snap-pre', 'pre-upgrade', 'windows')];
  const ubuSnaps = () => [snapshot('snap-u-before', 'Ubuntu before update', 'linux'), snapshot('snap-u-clean', 'Ubuntu clean install', 'linux')];
  const cases = [];
  const add = (o) => cases.push(o);

  // ---- similar names ----
  add({ scene: linuxSurfaces(), u: 'close the linux window', expect: C('linux-desktop', 'linux-terminal') });
  add({ scene: linuxSurfaces(), u: 'hide the linux window', expect: C('linux-desktop', 'linux-terminal') });
  add({ scene: linuxSurfaces(), u: 'move the linux window to the right', expect: C('linux-desktop', 'linux-terminal') });
  add({ scene: desk({ extra: winSnaps() }), u: 'restore the windows snapshot', expect: C('snap-clean', 'snap-pre') });
  add({ scene: desk({ linLabel: 'Ubuntu', extra: ubuSnaps() }), u: 'restore the ubuntu snapshot', expect: C('snap-u-before', 'snap-u-clean') });
  add({ scene: desk({ extra: winSnaps() }), u: 'inspect the snapshot', expect: C('snap-clean', 'snap-pre') });
  add({
    scene: desk({ extra: [snapshot('snap-w-bu', 'Windows before update', 'windows'), snapshot('snap-u-bu', 'Ubuntu before update', 'linux')] }),
    u: 'restore the before-update snapshot',
    expect: C('snap-w-bu', 'snap-u-bu'),
  });
  add({
    scene: desk({ extra: [app('lin-browser', 'Browser', 'linux'), app('win-browser', 'Browser', 'windows')] }),
    u: 'launch the browser',
    expect: C('lin-browser', 'win-browser'),
  });
  add({
    scene: desk({ extra: [app('lin-term', 'Terminal', 'linux'), app('win-term', 'Terminal', 'windows')] }),
    u: 'launch a terminal',
    expect: C('lin-term', 'win-term'),
  });
  add({
    scene: desk({ extra: [file('q3', 'Q3 report.pdf', 'windows'), file('q4', 'Q4 report.docx', 'windows')] }),
    u: 'open the report',
    expect: C('q3', 'q4'),
  });
  add({
    scene: desk({ extra: [file('notes-lin', 'notes.txt', 'linux'), file('notes-win', 'notes.txt', 'windows')] }),
    u: 'open notes.txt',
    expect: C('notes-lin', 'notes-win'),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('ff-1', 'Firefox — GitHub', 'linux', [40, 60, 900, 700], 1),
      surface('ff-2', 'Firefox — Gmail', 'linux', [980, 60, 900, 700], 1),
    ]),
    u: 'close the firefox window',
    expect: C('ff-1', 'ff-2'),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('code-1', 'VS Code — rayos', 'linux', [40, 60, 900, 700], 1),
      surface('code-2', 'VS Code — dotfiles', 'linux', [500, 200, 900, 700], 2),
    ]),
    u: 'focus vs code',
    expect: C('code-1', 'code-2'),
  });
  add({
    scene: desk({ extra: [file('bud23', 'budget 2023.xlsx', 'windows'), file('bud24', 'budget 2024.xlsx', 'windows'), file('cv', 'CV.docx', 'windows')] }),
    u: 'open the budget',
    expect: C('bud23', 'bud24'),
  });
  add({
    scene: desk({ extra: [app('files', 'Files', 'linux'), app('explorer', 'File Explorer', 'windows'), app('excel', 'Excel', 'windows')] }),
    u: 'launch the file manager',
    expect: C('files', 'explorer'),
  });
  add({
    scene: desk({ extra: [file('hp1', 'holiday photo 1.jpg', 'linux'), file('hp2', 'holiday photo 2.jpg', 'linux')] }),
    u: 'open the holiday photo',
    expect: C('hp1', 'hp2'),
  });
  add({
    scene: scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('np-1', 'notes.txt — Notepad', 'windows', [100, 100, 800, 600], 1),
      surface('np-2', 'todo.txt — Notepad', 'windows', [1000, 100, 800, 600], 1),
    ]),
    u: 'hide the notepad window',
    expect: C('np-1', 'np-2'),
  });
  add({
    scene: scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('xl-1', 'budget.xlsx — Excel', 'windows', [60, 60, 1000, 700], 1),
      surface('xl-2', 'Q3.xlsx — Excel', 'windows', [700, 300, 1000, 700], 2),
    ]),
    u: 'close the excel window',
    expect: C('xl-1', 'xl-2'),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('term-1', 'Terminal', 'linux', [60, 60, 800, 500], 1),
      surface('term-2', 'Terminal', 'linux', [960, 60, 800, 500], 1),
    ]),
    u: 'resize the terminal',
    expect: C('term-1', 'term-2'),
  });
  add({
    scene: desk({ extra: [app('code-lin', 'VS Code', 'linux'), app('code-win', 'VS Code', 'windows')] }),
    u: 'launch vs code',
    expect: C('code-lin', 'code-win'),
  });

  // ---- an unnamed VM / desktop with two candidates ----
  add({ scene: desk(), u: 'pause the vm', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'take a snapshot', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'turn off the network', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'search for tax forms', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'show the desktop', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'stop the virtual machine', expect: C('linux', 'windows') });
  add({ scene: desk({ lin: { power: 'paused' }, win: { power: 'paused' } }), u: 'resume the vm', expect: C('linux', 'windows') });
  add({ scene: desk({ lin: { power: 'stopped' }, win: { power: 'stopped' } }), u: 'start the vm', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'suspend it', expect: C('linux', 'windows') });
  add({ scene: twoDesktops(true), u: 'hide the desktop', expect: C('linux-desktop', 'windows-desktop') });
  add({ scene: twoDesktops(false), u: 'show me the desktop', expect: C('linux-desktop', 'windows-desktop') });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('s-a', 'Terminal', 'linux', [60, 60, 800, 500], 1),
      surface('s-b', 'Files', 'linux', [960, 60, 800, 500], 1),
    ]),
    u: 'move the window to the left',
    expect: C('s-a', 's-b'),
  });
  add({
    scene: scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('s-a', 'Outlook', 'windows', [60, 60, 800, 500], 1),
      surface('s-b', 'Teams', 'windows', [960, 60, 800, 500], 1),
    ]),
    u: 'close it',
    expect: C('s-a', 's-b'),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('s-a', 'Firefox', 'linux', [60, 60, 800, 500], 1),
      surface('s-b', 'Thunderbird', 'linux', [960, 60, 800, 500], 1),
    ]),
    u: 'make the window bigger',
    expect: C('s-a', 's-b'),
  });
  add({ scene: desk(), u: 'search for invoices from 2023', expect: C('linux', 'windows') });
  add({ scene: desk(), u: 'disconnect the vm from the internet', expect: C('linux', 'windows') });

  // ---- two VMs of the same subsystem ----
  add({ scene: twoLinux(), u: 'pause linux', expect: C('ubuntu', 'fedora') });
  add({ scene: twoLinux(), u: 'snapshot the linux vm', expect: C('ubuntu', 'fedora') });
  add({ scene: twoLinux(), u: 'search linux for tax forms', expect: C('ubuntu', 'fedora') });
  add({ scene: twoLinux({ a: { network: 'on' }, b: { network: 'on' } }), u: 'turn off networking on linux', expect: C('ubuntu', 'fedora') });
  add({ scene: twoWindows(), u: 'pause the windows vm', expect: C('win11', 'winsrv') });
  add({ scene: twoWindows({ a: { power: 'stopped' }, b: { power: 'stopped' } }), u: 'start windows', expect: C('win11', 'winsrv') });
  add({ scene: twoWindows(), u: 'take a snapshot of windows', expect: C('win11', 'winsrv') });
  add({ scene: twoLinux(), u: 'show me the linux desktop', expect: C('ubuntu', 'fedora') });

  // ---- only one candidate satisfies the precondition: do it ----
  add({ scene: desk({ lin: { power: 'stopped' } }), u: 'pause the vm', expect: X('pause', 'windows') });
  add({ scene: desk({ win: { power: 'paused' } }), u: 'pause the vm', expect: X('pause', 'linux') });
  add({ scene: desk({ lin: { power: 'paused' } }), u: 'resume the vm', expect: X('resume', 'linux') });
  add({ scene: desk({ win: { power: 'stopped' } }), u: 'start the vm', expect: X('start', 'windows') });
  add({ scene: desk({ lin: { network: 'off' } }), u: 'turn the network back on', expect: X('network_on', 'linux') });
  add({ scene: twoLinux({ b: { power: 'paused' } }), u: 'resume linux', expect: X('resume', 'fedora') });
  add({ scene: twoWindows({ a: { power: 'stopped' } }), u: 'stop the windows vm', expect: X('stop', 'winsrv') });
  return cases;
}
