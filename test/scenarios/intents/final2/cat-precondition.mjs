// precondition: the request is clear; whether it can run depends on state. inform when the state makes it moot or
// impossible (already paused, already on, stopped VM cannot be suspended...), execute when the state allows it.
import { vm, surf } from './lib.mjs';

const s = (objects, text, expect, history) => ({ scene: { screen: [1920, 1080], objects }, gaze: [], ...(history ? { history } : {}), utterance: { t: 0, text }, expect });
const X = (action, target) => ({ decision: 'execute', action, target });
const I = { decision: 'inform' };
const h = (t, text, action, target) => ({ t, text, resolved: { action, target } });
const ev = (t, event, target) => ({ t, event, target });
const tiles = (ws, us) => [vm('windows', 'Windows', { presented: true, ...ws }, { rect: [0, 0, 960, 1080], z: 1 }), vm('ubuntu', 'Ubuntu', { presented: true, ...us }, { rect: [960, 0, 960, 1080], z: 1 })];
const d = (o) => ({ screen: [1920, 1080], tracker: { accuracyDeg: 1, pxPerDeg: 40 }, ...o });

export default [
  // ---- inform
  s([vm('ubuntu', 'Ubuntu', { power: 'paused' }), vm('windows', 'Windows')], 'pause ubuntu', I),
  s([vm('windows', 'Windows', { power: 'running' }), vm('linux', 'Linux', { power: 'paused' })], 'resume windows', I),
  s([vm('dev-box', 'Dev box', { power: 'running' }), vm('office-pc', 'Office PC', { power: 'stopped' })], 'start the dev box', I),
  s([vm('office-pc', 'Office PC', { power: 'stopped' }), vm('dev-box', 'Dev box')], 'stop the office pc', I),
  s([vm('ubuntu', 'Ubuntu', { network: 'off' }), vm('windows', 'Windows', { network: 'on' })], 'turn off networking on ubuntu', I),
  s([vm('windows', 'Windows', { network: 'on' }), vm('ubuntu', 'Ubuntu', { network: 'off' })], 'reconnect windows to the internet', I),
  s([vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', null), surf('terminal', 'Terminal', 'linux', [200, 200, 900, 600], 1)], 'hide the browser', I),
  s([vm('dev-box', 'Dev box', { power: 'stopped' }), vm('office-pc', 'Office PC')], 'suspend the dev box', I),
  s([vm('office-pc', 'Office PC', { power: 'stopped' }), vm('windows', 'Windows')], 'pause the office pc', I),
  s([vm('windows', 'Windows', { power: 'suspended' }), vm('ubuntu', 'Ubuntu')], 'pause windows', I),
  s([vm('ubuntu', 'Ubuntu', { power: 'suspended' }), vm('windows', 'Windows')], 'suspend ubuntu', I),
  s([vm('ubuntu', 'Ubuntu', { power: 'running' }), vm('windows', 'Windows', { power: 'stopped' })], 'boot up ubuntu', I),
  s([vm('windows', 'Windows', { power: 'stopped' }), vm('ubuntu', 'Ubuntu')], 'shut down windows', I),
  s([vm('dev-box', 'Dev box', { network: 'off' }), vm('office-pc', 'Office PC', { network: 'off' })], 'disable the network for the dev box', I),
  d({ objects: tiles({ power: 'paused' }, {}), g: { hz: 60, segs: [[480, 500, 0, 1700]] }, t: 1500, text: 'pause this', expect: I }),
  d({ objects: tiles({}, { power: 'paused' }), tracker: { accuracyDeg: 1.5, pxPerDeg: 40 }, g: { hz: 30, segs: [[420, 600, 0, 1900]] }, t: 1700, text: 'resume this one', expect: I }),
  s([vm('linux', 'Linux'), surf('terminal', 'Terminal', 'linux', null), surf('files', 'Files', 'linux', [100, 100, 800, 600], 1)], 'hide the terminal', I),
  s([vm('office-pc', 'Office PC', { network: 'on' }), vm('dev-box', 'Dev box', { network: 'off' })], 'enable networking on the office pc', I),
  s([vm('ubuntu', 'Ubuntu'), vm('dev-box', 'Dev box', { power: 'stopped' })], 'could you start ubuntu please', I),
  s([vm('windows', 'Windows', { power: 'stopped', presented: false }), vm('linux', 'Linux')], 'stop windows', I),
  s([vm('dev-box', 'Dev box', { power: 'running' }), vm('office-pc', 'Office PC', { power: 'paused' })], 'unpause the dev box', I),
  s([vm('office-pc', 'Office PC', { power: 'running' }), vm('dev-box', 'Dev box', { power: 'suspended' })], 'wake up the office pc', I),
  s([vm('windows', 'Windows', { power: 'suspended' }), vm('linux', 'Linux')], 'put windows to sleep', I),
  s([vm('ubuntu', 'Ubuntu'), vm('windows', 'Windows', { power: 'stopped' })], 'start it',
    I, [h(-60000, 'start ubuntu', 'start', 'ubuntu'), ev(-45000, 'vm.started', 'ubuntu')]),
  s([vm('windows', 'Windows', { network: 'on' }), vm('linux', 'Linux', { network: 'on' })], 'turn the network back on for windows', I),
  s([surf('linux-desktop', 'Linux desktop', 'linux', null), surf('windows-desktop', 'Windows desktop', 'windows', [0, 0, 1920, 1080], 0)], 'hide the linux desktop', I),
  d({ objects: tiles({ network: 'off' }, { network: 'on' }), g: { hz: 60, segs: [[500, 300, 0, 1500]] }, t: 1300, text: 'cut this one off from the network', expect: I }),
  s([vm('dev-box', 'Dev box', { power: 'paused' }), vm('office-pc', 'Office PC')], 'pls pause the dev box', I),

  // ---- execute: the state allows it
  s([vm('windows', 'Windows', { power: 'suspended' }), vm('linux', 'Linux')], 'resume windows', X('resume', 'windows')),
  s([vm('ubuntu', 'Ubuntu', { power: 'running' }), vm('windows', 'Windows', { power: 'paused' })], 'pause ubuntu', X('pause', 'ubuntu')),
  s([vm('dev-box', 'Dev box', { power: 'stopped' }), vm('office-pc', 'Office PC')], 'start the dev box', X('start', 'dev-box')),
  s([vm('ubuntu', 'Ubuntu', { network: 'on' }), vm('windows', 'Windows', { network: 'off' })], 'turn off networking on ubuntu', X('network_off', 'ubuntu')),
  s([vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [100, 100, 1000, 700], 1), surf('terminal', 'Terminal', 'linux', null)], 'hide the browser', X('hide', 'browser')),
  s([vm('office-pc', 'Office PC', { power: 'paused' }), vm('dev-box', 'Dev box')], 'stop the office pc', X('stop', 'office-pc')),
  s([vm('ubuntu', 'Ubuntu', { power: 'running' }), vm('windows', 'Windows', { power: 'suspended' })], 'suspend ubuntu', X('suspend', 'ubuntu')),
  s([vm('windows', 'Windows', { network: 'off' }), vm('ubuntu', 'Ubuntu', { network: 'on' })], 'reconnect windows to the internet', X('network_on', 'windows')),
  s([vm('dev-box', 'Dev box', { power: 'paused' }), vm('office-pc', 'Office PC')], 'unpause the dev box', X('resume', 'dev-box')),
  s([vm('office-pc', 'Office PC', { power: 'suspended' }), vm('dev-box', 'Dev box')], 'wake up the office pc', X('resume', 'office-pc')),
  s([vm('ubuntu', 'Ubuntu', { power: 'stopped' }), vm('windows', 'Windows')], 'boot up ubuntu', X('start', 'ubuntu')),
  d({ objects: tiles({ power: 'paused' }, {}), g: { hz: 60, segs: [[1400, 500, 0, 1700]] }, t: 1500, text: 'pause this', expect: X('pause', 'ubuntu') }),
];
