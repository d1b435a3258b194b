// precondition: the request is understood; either its precondition holds (execute) or it fails (inform).
// Distractor objects often have the opposite state, so the state must be read from the named target.
import { vm, surf, snap, ex, inform, sc, turn, ev } from './lib.mjs';

export default [
  // ---- inform ----
  // 1 pause an already paused VM
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'please pause windows',
    expect: inform(),
  }),
  // 2 start a running VM
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { power: 'stopped' })],
    u: 'start ubuntu',
    expect: inform(),
  }),
  // 3 stop a stopped VM
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' }), vm('work-vm', 'Work VM', 'linux')],
    u: 'stop the gaming pc',
    expect: inform(),
  }),
  // 4 resume a running VM
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux'), vm('gaming-pc', 'Gaming PC', 'windows', { power: 'paused' })],
    u: 'resume the work vm',
    expect: inform(),
  }),
  // 5 hide a surface that is not shown
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux'), surf('terminal-win', 'Terminal', 'linux', [100, 100, 800, 600], 1)],
    u: 'hide firefox',
    expect: inform(),
  }),
  // 6 network off when it is already off
  sc({
    objs: [vm('windows', 'Windows', 'windows', { network: 'off' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'turn off the network on windows',
    expect: inform(),
  }),
  // 7 network on when it is already on
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { network: 'off' })],
    u: 'reconnect ubuntu to the network',
    expect: inform(),
  }),
  // 8 suspend a stopped VM
  sc({
    objs: [vm('linux', 'Linux', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows')],
    u: 'suspend the linux vm',
    expect: inform(),
  }),
  // 9 pause a stopped VM
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'pause the gaming pc',
    expect: inform(),
  }),
  // 10 unpause a running VM
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' })],
    u: 'unpause windows',
    expect: inform(),
  }),
  // 11 boot a running VM
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows'), vm('home', 'Home', 'linux', { power: 'stopped' })],
    u: 'boot up the work vm',
    expect: inform(),
  }),
  // 12 power off a stopped VM
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows')],
    u: 'power off ubuntu',
    expect: inform(),
  }),
  // 13 hide a VM desktop that is not shown
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('linux', 'Linux', 'linux', {}, [100, 100, 1200, 800], 1)],
    u: 'hide the windows desktop',
    expect: inform(),
  }),
  // 14 resume a stopped VM (it is off, not paused)
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    u: 'resume ubuntu',
    expect: inform(),
  }),
  // 15 suspend an already suspended VM
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'suspended' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'suspend windows',
    expect: inform(),
  }),
  // 16 anaphoric: pause it again right after pausing it
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [turn(-5000, 'pause windows', 'pause', 'windows'), ev(-4900, 'vm.paused', 'windows')],
    u: 'pause it',
    expect: inform(),
  }),
  // 17 wake a running VM
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux', { power: 'suspended' })],
    u: 'wake up the gaming pc',
    expect: inform(),
  }),
  // 18 network off for a VM whose network is off
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux', { network: 'off' }), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'cut the network on the work vm',
    expect: inform(),
  }),
  // 19 wifi on when it is on
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('fedora', 'Fedora', 'linux', { network: 'off' })],
    u: 'turn wifi back on for ubuntu',
    expect: inform(),
  }),
  // 20 start a running VM, capitals and punctuation
  sc({
    objs: [vm('win11', 'Windows 11', 'windows'), vm('debian', 'Debian', 'linux', { power: 'stopped' })],
    u: 'Start Windows 11!',
    expect: inform(),
  }),
  // 21 hide a surface the person closed earlier
  sc({
    objs: [surf('vlc-win', 'VLC', 'linux'), surf('files-win', 'Files', 'linux', [100, 100, 900, 700], 1)],
    history: [turn(-30000, 'close vlc', 'close', 'vlc-win'), ev(-30000, 'surface.closed', 'vlc-win')],
    u: 'hide vlc',
    expect: inform(),
  }),
  // 22 stop an already stopped VM with a polite phrasing
  sc({
    objs: [vm('fedora', 'Fedora', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows')],
    u: 'could you shut down fedora for me?',
    expect: inform(),
  }),
  // 23 pause a suspended VM
  sc({
    objs: [vm('work-vm', 'Work VM', 'windows', { power: 'suspended' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'pause the work vm',
    expect: inform(),
  }),
  // 24 resume a running VM, typo
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { power: 'paused' })],
    u: 'resme ubuntu',
    expect: inform(),
  }),
  // ---- execute: the precondition holds ----
  // 25
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' })],
    u: 'pause windows',
    expect: ex('pause', 'windows'),
  }),
  // 26
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'suspended' }), vm('work-vm', 'Work VM', 'linux')],
    u: 'resume the gaming pc',
    expect: ex('resume', 'gaming-pc'),
  }),
  // 27
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux', { power: 'stopped' }), vm('home', 'Home', 'windows')],
    u: 'start the work vm',
    expect: ex('start', 'work-vm'),
  }),
  // 28
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { power: 'stopped' })],
    u: 'stop ubuntu',
    expect: ex('stop', 'ubuntu'),
  }),
  // 29
  sc({
    objs: [surf('firefox-win', 'Firefox', 'linux', [200, 100, 1200, 800], 1), surf('terminal-win', 'Terminal', 'linux')],
    u: 'hide firefox',
    expect: ex('hide', 'firefox-win'),
  }),
  // 30
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('linux', 'Linux', 'linux', {}, [100, 100, 1200, 800], 1)],
    u: 'show the windows desktop',
    expect: ex('present', 'windows'),
  }),
  // 31
  sc({
    objs: [vm('windows', 'Windows', 'windows', { network: 'off' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'turn the network back on for windows',
    expect: ex('network_on', 'windows'),
  }),
  // 32
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows', { network: 'off' })],
    u: "cut ubuntu's network",
    expect: ex('network_off', 'ubuntu'),
  }),
  // 33
  sc({
    objs: [vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows', { power: 'suspended' })],
    u: 'suspend the linux vm',
    expect: ex('suspend', 'linux'),
  }),
  // 34
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: 'resume windows',
    expect: ex('resume', 'windows'),
  }),
  // 35 status has no precondition
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' }), vm('ubuntu', 'Ubuntu', 'linux')],
    u: "what's the status of the gaming pc",
    expect: ex('status', 'gaming-pc'),
  }),
  // 36 details of a stopped VM
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'stopped' }), vm('windows', 'Windows', 'windows')],
    u: 'show me the details of ubuntu',
    expect: ex('inspect', 'ubuntu'),
  }),
  // 37 restore a snapshot of a stopped VM
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'stopped' }), snap('snap-clean', 'Windows · clean', 'windows'), snap('snap-games', 'Windows · games installed', 'windows')],
    u: 'restore the clean snapshot',
    expect: ex('restore', 'snap-clean'),
  }),
  // 38 unpause a paused VM
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')],
    u: 'unpause ubuntu pls',
    expect: ex('resume', 'ubuntu'),
  }),
  // 39 wake a suspended VM
  sc({
    objs: [vm('work-vm', 'Work VM', 'linux', { power: 'suspended' }), vm('gaming-pc', 'Gaming PC', 'windows')],
    u: 'wake up the work vm',
    expect: ex('resume', 'work-vm'),
  }),
  // 40 boot a stopped VM
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' }), vm('work-vm', 'Work VM', 'linux', { power: 'stopped' })],
    u: 'boot the gaming pc',
    expect: ex('start', 'gaming-pc'),
  }),
  // 41 show a hidden surface
  sc({
    objs: [surf('teams-win', 'Teams', 'windows'), surf('outlook-win', 'Outlook', 'windows', [100, 80, 1200, 850], 1)],
    u: 'show teams',
    expect: ex('present', 'teams-win'),
  }),
  // 42 explain a paused VM
  sc({
    objs: [vm('windows', 'Windows', 'windows', { power: 'paused' }), vm('ubuntu', 'Ubuntu', 'linux')],
    history: [ev(-400000, 'vm.paused', 'windows')],
    u: 'why is windows paused?',
    expect: ex('explain', 'windows'),
  }),
  // 43 close a window that is shown
  sc({
    objs: [surf('zoom-win', 'Zoom', 'windows', [600, 200, 900, 600], 1), surf('word-win', 'Word', 'windows')],
    u: 'close zoom',
    expect: ex('close', 'zoom-win'),
  }),
  // 44 turn the network on for the one VM that has it off
  sc({
    objs: [vm('fedora', 'Fedora', 'linux', { network: 'off' }), vm('win10', 'Windows 10', 'windows')],
    u: 'connect fedora to the internet',
    expect: ex('network_on', 'fedora'),
  }),
  // 45 stop a running VM, phrased as "turn off"
  sc({
    objs: [vm('windows', 'Windows', 'windows'), vm('ubuntu', 'Ubuntu', 'linux', { power: 'stopped' })],
    u: 'turn off the windows vm',
    expect: ex('stop', 'windows'),
  }),
  // 46 snapshot a running VM while another is stopped
  sc({
    objs: [vm('debian', 'Debian', 'linux'), vm('win11', 'Windows 11', 'windows', { power: 'stopped' })],
    u: 'snapshot debian',
    expect: ex('snapshot', 'debian'),
  }),
  // 47 pause a running VM that is on screen
  sc({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [60, 60, 1500, 900], 1), vm('work-vm', 'Work VM', 'linux', { power: 'paused' })],
    u: 'pause the gaming pc for a minute',
    expect: ex('pause', 'gaming-pc'),
  }),
];
