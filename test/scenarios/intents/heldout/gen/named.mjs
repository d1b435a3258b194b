// named: the person names the thing. No gaze needed; every precondition holds, so the answer is execute.
export default function named({ vm, surface, app, file, snapshot, scene, X }) {
  // Two VMs, nothing presented. Ids and labels vary between scenes so an engine cannot key on one spelling.
  const desk = ({ lin = {}, win = {}, linId = 'linux', winId = 'windows', linLabel = 'Linux', winLabel = 'Windows', extra = [] } = {}) =>
    scene([
      vm(linId, linLabel, 'linux', { power: 'running', presented: false, network: 'on', ...lin }),
      vm(winId, winLabel, 'windows', { power: 'running', presented: false, network: 'on', ...win }),
      ...extra,
    ]);
  const linApps = () => [app('terminal', 'Terminal', 'linux'), app('files', 'Files', 'linux'), app('firefox', 'Firefox', 'linux'), app('vscode', 'VS Code', 'linux')];
  const winApps = () => [app('notepad', 'Notepad', 'windows'), app('excel', 'Excel', 'windows'), app('edge', 'Microsoft Edge', 'windows'), app('wt', 'Windows Terminal', 'windows')];
  const snaps = () => [
    snapshot('snap-ubuntu-clean', 'Ubuntu clean install', 'linux'),
    snapshot('snap-win-preupdate', 'Windows before update', 'windows'),
  ];
  // Both desktops as surfaces on screen, the VMs themselves off screen.
  const surfaces = ({ linState, winState, extra = [] } = {}) =>
    scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running', network: 'on', ...linState }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running', network: 'on', ...winState }),
      surface('linux-desktop', 'Linux desktop', 'linux', [40, 60, 900, 680], 1),
      surface('windows-desktop', 'Windows desktop', 'windows', [980, 60, 900, 680], 2),
      ...extra,
    ]);

  return [
    { scene: desk(), u: 'show me the linux desktop', expect: X('present', 'linux') },
    { scene: desk({ extra: linApps() }), u: 'Pause the Windows VM.', expect: X('pause', 'windows') },
    { scene: desk({ linLabel: 'Ubuntu 24.04', extra: snaps() }), u: 'could you please take a snapshot of ubuntu', expect: X('snapshot', 'linux') },
    { scene: desk({ extra: winApps() }), u: 'turn off networking for windows', expect: X('network_off', 'windows') },
    { scene: desk({ extra: [...linApps(), ...winApps()] }), u: 'launch the terminal on linux', expect: X('launch', 'terminal', { app: 'terminal' }) },
    { scene: desk({ linLabel: 'Ubuntu 22.04' }), u: 'search my ubuntu machine for tax receipts', expect: X('search', 'linux', { query: 'tax receipts' }) },
    { scene: desk(), u: 'um, pause linux', expect: X('pause', 'linux') },
    { scene: desk({ extra: linApps() }), u: 'pasue linux', expect: X('pause', 'linux') },
    { scene: desk({ win: { power: 'paused' } }), u: 'RESUME WINDOWS', expect: X('resume', 'windows') },
    { scene: desk({ win: { power: 'stopped' }, winId: 'win11', winLabel: 'Windows 11' }), u: 'start up the windows vm please', expect: X('start', 'win11') },
    { scene: desk({ extra: snaps() }), u: 'shut down linux', expect: X('stop', 'linux') },
    { scene: desk({ extra: winApps() }), u: 'could you suspend the windows machine?', expect: X('suspend', 'windows') },
    { scene: desk(), u: 'whats the status of linux', expect: X('status', 'linux') },
    { scene: desk({ win: { power: 'paused' } }), u: 'is windows running?', expect: X('status', 'windows') },
    { scene: desk({ linLabel: 'Ubuntu', extra: snaps() }), u: 'inspect the ubuntu clean install snapshot', expect: X('inspect', 'snap-ubuntu-clean') },
    { scene: desk({ extra: snaps() }), u: 'restore windows to the before update snapshot', expect: X('restore', 'snap-win-preupdate') },
    { scene: desk({ linLabel: 'Ubuntu', extra: snaps() }), u: 'roll linux back to the clean install snapshot', expect: X('restore', 'snap-ubuntu-clean') },
    { scene: surfaces(), u: 'hide the windows desktop', expect: X('hide', 'windows-desktop') },
    {
      scene: surfaces({ extra: [surface('firefox-win', 'Firefox', 'linux', [200, 200, 700, 500], 3)] }),
      u: 'close the firefox window',
      expect: X('close', 'firefox-win'),
    },
    {
      scene: scene([
        vm('linux', 'Linux', 'linux', { power: 'running', network: 'on' }),
        surface('term-surface', 'Terminal', 'linux', [100, 100, 800, 500], 1),
        surface('files-surface', 'Files', 'linux', [700, 300, 900, 600], 2),
      ]),
      u: 'focus the terminal',
      expect: X('focus', 'term-surface'),
    },
    { scene: surfaces(), u: 'move the windows desktop over to the right side', expect: X('move', 'windows-desktop') },
    { scene: surfaces(), u: 'make the linux window smaller', expect: X('resize', 'linux-desktop') },
    { scene: desk({ win: { network: 'off' } }), u: 'reconnect windows to the network', expect: X('network_on', 'windows') },
    { scene: desk({ linLabel: 'Debian' }), u: 'cut off internet access for linux', expect: X('network_off', 'linux') },
    {
      scene: desk({ win: { power: 'paused' } }),
      history: [{ t: -20000, event: 'vm.paused', target: 'windows' }],
      u: 'why did windows get paused?',
      expect: X('explain', 'windows'),
    },
    {
      scene: scene([
        vm('vm-linux', 'Linux', 'linux', { power: 'running' }),
        vm('vm-windows', 'Windows', 'windows', { power: 'running' }),
        surface('linux-desktop', 'Linux desktop', 'linux', undefined, undefined, { presented: false }),
        surface('windows-desktop', 'Windows desktop', 'windows', [200, 100, 1400, 850], 1),
      ]),
      history: [
        { t: -45000, text: 'show the windows desktop', resolved: { action: 'present', target: 'windows-desktop' } },
        { t: -12000, event: 'surface.hidden', target: 'linux-desktop' },
      ],
      u: 'explain why the linux desktop was hidden',
      expect: X('explain', 'linux-desktop'),
    },
    {
      scene: desk({ extra: [file('tax-2023', 'tax-return-2023.pdf', 'linux'), file('notes', 'notes.txt', 'linux')] }),
      u: 'open tax-return-2023.pdf',
      expect: X('open', 'tax-2023'),
    },
    {
      scene: desk({ extra: [file('budget', 'Budget 2024.xlsx', 'windows'), file('cv', 'CV.docx', 'windows'), ...winApps()] }),
      u: 'open the budget spreadsheet',
      expect: X('open', 'budget'),
    },
    { scene: desk({ extra: winApps() }), u: 'run notepad on windows', expect: X('launch', 'notepad', { app: 'notepad' }) },
    { scene: desk({ extra: [...linApps(), ...winApps()] }), u: 'fire up vs code in linux', expect: X('launch', 'vscode', { app: 'vscode' }) },
    { scene: desk(), u: 'hey rayos, look for invoices from march on windows', expect: X('search', 'windows', { query: 'invoices from march' }) },
    { scene: desk({ extra: linApps() }), u: 'find vacation photos on the linux machine', expect: X('search', 'linux', { query: 'vacation photos' }) },
    { scene: desk({ winId: 'win', winLabel: 'Windows 11' }), u: 'search windows for "quarterly report"', expect: X('search', 'win', { query: 'quarterly report' }) },
    { scene: desk({ extra: snaps() }), u: 'Please stop the Windows virtual machine.', expect: X('stop', 'windows') },
    { scene: desk({ linLabel: 'Ubuntu 24.04' }), u: 'pause ubnutu', expect: X('pause', 'linux') },
    { scene: desk({ extra: winApps() }), u: 'snapshot windows', expect: X('snapshot', 'windows') },
    { scene: desk({ linId: 'ubuntu-vm', linLabel: 'Ubuntu' }), u: 'take a snapshot of the linux vm, thanks', expect: X('snapshot', 'ubuntu-vm') },
    { scene: desk({ extra: linApps() }), u: 'can you bring up the windows desktop', expect: X('present', 'windows') },
    { scene: desk({ extra: snaps() }), u: 'give me the details of the windows vm', expect: X('inspect', 'windows') },
    { scene: desk({ linLabel: 'Ubuntu 24.04', lin: { power: 'paused' } }), u: "how's ubuntu doing?", expect: X('status', 'linux') },
    { scene: desk({ linLabel: 'Ubuntu 24.04', lin: { power: 'paused' } }), u: 'resume ubuntu please', expect: X('resume', 'linux') },
    { scene: desk({ lin: { network: 'off' } }), u: 'turn the network back on for linux', expect: X('network_on', 'linux') },
    { scene: desk({ extra: winApps() }), u: 'disable networking on windows', expect: X('network_off', 'windows') },
    { scene: desk({ lin: { power: 'stopped' } }), u: 'boot linux', expect: X('start', 'linux') },
    { scene: desk({ win: { power: 'paused' } }), u: 'power off windows', expect: X('stop', 'windows') },
    {
      scene: surfaces({ extra: [surface('ff', 'Firefox', 'linux', [300, 150, 600, 450], 3), surface('np', 'Notepad', 'windows', [1200, 300, 500, 400], 4)] }),
      u: 'hide firefox',
      expect: X('hide', 'ff'),
    },
    {
      scene: surfaces({ extra: [surface('files-win', 'Files', 'linux', [120, 400, 640, 420], 3)] }),
      u: 'close the file manager',
      expect: X('close', 'files-win'),
    },
    { scene: desk({ extra: [...linApps(), ...winApps()] }), u: 'inspect the terminal app on linux', expect: X('inspect', 'terminal') },
    { scene: desk({ extra: [...linApps(), ...winApps()] }), u: 'could you please launch excel on the windows side', expect: X('launch', 'excel', { app: 'excel' }) },
    {
      scene: desk({ lin: { power: 'stopped' } }),
      history: [{ t: -300000, event: 'vm.stopped', target: 'linux' }],
      u: 'why did rayos stop linux?',
      expect: X('explain', 'linux'),
    },
    { scene: desk({ extra: linApps() }), u: 'search linux for docker compose files', expect: X('search', 'linux', { query: 'docker compose files' }) },
    { scene: desk(), u: 'um, uh, snapshot the windows vm', expect: X('snapshot', 'windows') },
    { scene: desk({ extra: linApps() }), u: 'Show The Linux Desktop!!!', expect: X('present', 'linux') },
    { scene: desk({ lin: { power: 'paused' } }), u: 'pause the windows vm.', expect: X('pause', 'windows') },
    {
      scene: desk({
        extra: [snapshot('snap-pre', 'pre-upgrade', 'windows'), snapshot('snap-clean', 'clean install', 'windows'), snapshot('snap-lin', 'before kernel 6.8', 'linux')],
      }),
      u: 'restore the snapshot called pre-upgrade',
      expect: X('restore', 'snap-pre'),
    },
    { scene: desk({ winLabel: 'Windows 11' }), u: 'show me the status of the windows machine', expect: X('status', 'windows') },
    { scene: surfaces(), u: 'bring the windows desktop to the front', expect: X('focus', 'windows-desktop') },
    { scene: desk(), u: 'network off for windows pls', expect: X('network_off', 'windows') },
    {
      scene: desk({ extra: [file('budget', 'Budget 2024.xlsx', 'windows'), file('notes', 'notes.txt', 'linux')] }),
      u: 'inspect the budget file',
      expect: X('inspect', 'budget'),
    },
    {
      scene: surfaces({ extra: [surface('ff', 'Firefox', 'linux', [300, 150, 600, 450], 3)] }),
      u: 'resize the firefox window',
      expect: X('resize', 'ff'),
    },
    { scene: desk({ winLabel: 'Windows 11', win: { power: 'stopped' } }), u: 'Could you boot the Windows 11 VM for me?', expect: X('start', 'windows') },
    { scene: desk({ linLabel: 'Fedora 40' }), u: 'look for ssh keys on fedora', expect: X('search', 'linux', { query: 'ssh keys' }) },
    { scene: desk({ extra: winApps() }), u: 'suspend linux', expect: X('suspend', 'linux') },
    { scene: desk({ win: { power: 'paused' }, extra: linApps() }), u: 'please unpause windows', expect: X('resume', 'windows') },
    { scene: desk({ linLabel: 'Ubuntu', extra: [...linApps(), ...winApps()] }), u: 'launch a terminal on ubuntu, please', expect: X('launch', 'terminal', { app: 'terminal' }) },
  ];
}
