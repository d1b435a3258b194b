// deictic: "this"/"that" resolved by where the person looked. Gaze is generated (seeded) in build.mjs from `g` specs;
// `cands` names the objects the words could apply to, for the build-time sanity check (gaze clearly on the target for
// execute; both options within the tracker's accuracy of the resting point for clarify).
import { vm, surf, app, file } from './lib.mjs';

const X = (action, target, slots) => ({ decision: 'execute', action, target, ...(slots ? { slots } : {}) });
const C = (...options) => ({ decision: 'clarify', options });
const T = (accuracyDeg, pxPerDeg) => ({ accuracyDeg, pxPerDeg });
// fixation on one point from 0 to t+tail
const fix = (x, y, t, more = {}) => ({ segs: [[x, y, 0, t + (more.tail ?? 200)]], ...more });

// layouts (fresh objects each call)
const L1 = () => [surf('linux-desktop', 'Linux desktop', 'linux', [40, 60, 900, 640], 1), surf('windows-desktop', 'Windows desktop', 'windows', [980, 60, 900, 640], 1), vm('dev-box', 'Dev box', { power: 'stopped' })];
const L2 = () => [vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [100, 80, 1000, 700], 1), surf('terminal', 'Terminal', 'linux', [760, 380, 900, 560], 2)];
const DOCK = (gap = 32) => {
  const ids = [['firefox', 'Firefox'], ['terminal', 'Terminal'], ['files', 'Files'], ['calculator', 'Calculator'], ['vscode', 'VS Code']];
  return [vm('linux', 'Linux', { presented: true }, { rect: [0, 0, 1920, 1000], z: 0 }),
    ...ids.map(([id, label], i) => app(id, label, 'linux', [776 + i * (48 + gap), 1012, 48, 48], 3))];
};
const dockC = (i, gap = 32) => [776 + i * (48 + gap) + 24, 1036];
const L4 = (ws = {}, us = {}) => [vm('windows', 'Windows', { presented: true, ...ws }, { rect: [0, 0, 960, 1080], z: 1 }), vm('ubuntu', 'Ubuntu', { presented: true, ...us }, { rect: [960, 0, 960, 1080], z: 1 })];
const L5 = () => [surf('linux-desktop', 'Linux desktop', 'linux', [0, 0, 1920, 1080], 0),
  file('budget', 'budget.xlsx', 'linux', [80, 80, 64, 64], 2), file('photo', 'photo.jpg', 'linux', [80, 200, 64, 64], 2), file('notes', 'notes.txt', 'linux', [80, 320, 64, 64], 2),
  surf('browser', 'Browser', 'linux', [500, 120, 1200, 800], 1)];
const CASCADE = () => [surf('mail', 'Mail', 'windows', [100, 100, 900, 600], 1), surf('word', 'Word', 'windows', [250, 220, 900, 600], 2), surf('excel', 'Excel', 'windows', [400, 340, 900, 600], 3), vm('windows', 'Windows')];
const VM3 = () => [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 640, 1080], z: 1 }), vm('ubuntu', 'Ubuntu', { presented: true }, { rect: [640, 0, 640, 1080], z: 1 }), vm('dev-box', 'Dev box', { presented: true }, { rect: [1280, 0, 640, 1080], z: 1 })];

const d = (o) => ({ screen: [1920, 1080], tracker: T(1, 40), ...o });

export default [
  // ---- execute: gaze clearly on one candidate
  d({ objects: L1(), g: fix(1400, 400, 1500, { hz: 60 }), t: 1500, text: 'close this one', expect: X('close', 'windows-desktop') }),
  d({ objects: L1(), tracker: T(1.5, 35), g: fix(500, 350, 1800, { hz: 30 }), t: 1800, text: 'hide that', expect: X('hide', 'linux-desktop') }),
  d({ objects: L2(), g: fix(930, 580, 1600, { hz: 90 }), t: 1600, text: 'close this window', expect: X('close', 'terminal') }),
  d({ objects: L2(), g: fix(400, 300, 1400, { hz: 60 }), t: 1400, text: 'bring this to the front', expect: X('focus', 'browser') }),
  d({ objects: DOCK(), tracker: T(0.5, 40), g: fix(...dockC(2), 1200, { hz: 60 }), t: 1200, text: 'launch this', cands: ['firefox', 'terminal', 'files', 'calculator', 'vscode'], expect: X('launch', 'files', { app: 'files' }) }),
  d({ objects: L4(), tracker: T(2, 45), g: fix(1440, 500, 2000, { hz: 60, bias: [0.4, -0.2] }), t: 2000, text: 'pause this', expect: X('pause', 'ubuntu') }),
  d({ objects: L4(), g: fix(480, 600, 1700, { hz: 60 }), t: 1700, text: 'take a snapshot of this one', expect: X('snapshot', 'windows') }),
  d({ objects: L4(), g: { hz: 60, segs: [[500, 500, 0, 1300], [1400, 520, 1450, 2200]] }, t: 2000, text: 'suspend this', expect: X('suspend', 'ubuntu') }),
  d({ objects: L4({ network: 'on' }, { network: 'on' }), tracker: T(1.2, 45), g: { hz: 90, segs: [[1500, 400, 0, 1500], [420, 620, 1620, 2350]] }, t: 2150, text: 'turn off the network for this one', expect: X('network_off', 'windows') }),
  d({ screen: [3840, 2160], objects: [surf('linux-desktop', 'Linux desktop', 'linux', [0, 0, 1920, 2160], 1), surf('windows-desktop', 'Windows desktop', 'windows', [1920, 0, 1920, 2160], 1)], tracker: T(2, 60), g: fix(2900, 1000, 1500, { hz: 60 }), t: 1500, text: 'make this bigger', expect: X('resize', 'windows-desktop') }),
  d({ screen: [1366, 768], objects: [vm('linux', 'Linux'), surf('terminal', 'Terminal', 'linux', [20, 40, 640, 480], 1), surf('files', 'Files', 'linux', [700, 60, 640, 600], 1)], tracker: T(1.5, 30), g: fix(1000, 350, 1900, { hz: 30 }), t: 1900, text: 'move this over to the right a bit', expect: X('move', 'files') }),
  d({ objects: L5(), tracker: T(0.5, 40), g: fix(112, 112, 1300, { hz: 60, sdFrac: 0.2 }), t: 1300, text: 'open this file', cands: ['budget', 'photo', 'notes'], expect: X('open', 'budget') }),
  d({ objects: L2(), g: fix(1400, 800, 2000, { hz: 60, gaps: [[700, 950]], swap: 4, off: 3 }), t: 2000, text: 'minimize this', expect: X('hide', 'terminal') }),
  d({ objects: L4({ power: 'paused' }), g: fix(450, 400, 1500, { hz: 30 }), t: 1500, text: 'resume this', expect: X('resume', 'windows') }),
  d({ objects: DOCK(), tracker: T(0.7, 50), g: fix(...dockC(1), 1100, { hz: 60, sdFrac: 0.15 }), t: 1100, text: 'run this app', cands: ['firefox', 'terminal', 'files', 'calculator', 'vscode'], expect: X('launch', 'terminal', { app: 'terminal' }) }),
  d({ objects: CASCADE(), g: fix(700, 600, 1600, { hz: 60 }), t: 1600, text: 'close this', expect: X('close', 'excel') }),
  d({ objects: CASCADE(), tracker: T(0.8, 40), g: fix(175, 160, 1500, { hz: 60, sdFrac: 0.2 }), t: 1500, text: 'focus this', expect: X('focus', 'mail') }),
  d({ objects: CASCADE(), tracker: T(0.5, 40), g: fix(800, 275, 1400, { hz: 90, sdFrac: 0.2 }), t: 1400, text: 'close that window', expect: X('close', 'word') }),
  d({ screen: [3840, 2160], objects: [surf('linux-desktop', 'Linux desktop', 'linux', [0, 0, 1920, 2160], 1), surf('windows-desktop', 'Windows desktop', 'windows', [1920, 0, 1920, 2160], 1)], tracker: T(4, 60), g: fix(960, 1080, 2000, { hz: 30, sdFrac: 0.15 }), t: 2000, text: 'hide this', expect: X('hide', 'linux-desktop') }),
  d({ objects: [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 1920, 1080], z: 0 }), surf('excel', 'Excel', 'windows', [300, 200, 800, 500], 1)], g: fix(700, 450, 1700, { hz: 60 }), t: 1700, text: 'close this', expect: X('close', 'excel') }),
  d({ objects: [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 1920, 1080], z: 0 }), surf('excel', 'Excel', 'windows', [300, 200, 800, 500], 1)], g: fix(1600, 800, 1700, { hz: 60 }), t: 1700, text: 'pause this', expect: X('pause', 'windows') }),
  d({ objects: L5(), tracker: T(0.5, 40), g: fix(112, 352, 1500, { hz: 60, sdFrac: 0.2 }), t: 1500, text: 'open this up', expect: X('open', 'notes') }),
  d({ objects: L5(), tracker: T(0.5, 40), g: fix(112, 232, 1500, { hz: 60, sdFrac: 0.2 }), t: 1500, text: 'show me details about this', expect: X('inspect', 'photo') }),
  d({ objects: L4(), tracker: T(1.5, 40), g: fix(1500, 450, 1800, { hz: 60 }), t: 1800, text: 'search this machine for invoices', expect: X('search', 'ubuntu', { query: 'invoices' }) }),
  d({ objects: L4({}, { power: 'paused' }), g: fix(400, 500, 1600, { hz: 60 }), t: 1600, text: "what's the status of this one", expect: X('status', 'windows') }),
  d({ objects: VM3(), g: fix(1600, 540, 1500, { hz: 60 }), t: 1500, text: 'stop this vm', expect: X('stop', 'dev-box') }),
  d({ objects: L4({ network: 'on' }, { network: 'off' }), tracker: T(1, 50), g: fix(1450, 600, 2100, { hz: 60 }), t: 2100, text: 'reconnect this one to the network', expect: X('network_on', 'ubuntu') }),
  d({ objects: L1(), g: { hz: 90, segs: [[500, 400, 0, 1500], [1420, 360, 1600, 2250]] }, t: 2000, text: 'open this', expect: X('open', 'windows-desktop') }),
  d({ objects: L2(), g: fix(450, 400, 1800, { hz: 60, blink: [[900, 1050]] }), t: 1800, text: 'close that', expect: X('close', 'browser') }),
  d({ objects: L4(), g: fix(480, 540, 1600, { hz: 60, off: 24 }), t: 1600, text: 'snapshot this', expect: X('snapshot', 'windows') }),
  d({ objects: L1(), g: fix(480, 420, 1500, { hz: 60, swap: 12 }), t: 1500, text: 'focus this', expect: X('focus', 'linux-desktop') }),
  d({ objects: L1(), tracker: T(1, 45), g: fix(1450, 380, 2200, { hz: 30, gaps: [[400, 700], [1200, 1500]] }), t: 2200, text: 'hide this one', expect: X('hide', 'windows-desktop') }),
  d({ objects: DOCK(12), tracker: T(0.5, 30), g: fix(...dockC(3, 12), 1300, { hz: 60, sdFrac: 0.2 }), t: 1300, text: 'launch this one', cands: ['firefox', 'terminal', 'files', 'calculator', 'vscode'], expect: X('launch', 'calculator', { app: 'calculator' }) }),
  d({ screen: [2560, 1440], objects: [vm('windows', 'Windows'), surf('browser', 'Browser', 'windows', [120, 100, 1400, 950], 1), surf('outlook', 'Outlook', 'windows', [1000, 500, 1300, 850], 2)], tracker: T(1, 50), g: fix(1700, 900, 1800, { hz: 60 }), t: 1800, text: 'can you close this for me', expect: X('close', 'outlook') }),
  d({ screen: [2560, 1440], objects: [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 2560, 720], z: 1 }), vm('linux', 'Linux', { presented: true }, { rect: [0, 720, 2560, 720], z: 1 })], tracker: T(1.5, 50), g: fix(1280, 1100, 1600, { hz: 60 }), t: 1600, text: 'uh, pause this', expect: X('pause', 'linux') }),
  d({ objects: [vm('linux', 'Linux'), surf('clock', 'Clock', 'linux', [1400, 100, 400, 300], 1), surf('browser', 'Browser', 'linux', [100, 100, 1000, 800], 1)], g: fix(1600, 250, 1500, { hz: 60 }), t: 1500, text: 'resize this', expect: X('resize', 'clock') }),
  d({ objects: L2(), g: { hz: 60, segs: [[1300, 650, 0, 500], [1320, 700, 520, 1000], [1350, 740, 1020, 1500], [1360, 760, 1520, 2100]] }, t: 1850, text: 'hide this window', expect: X('hide', 'terminal') }),
  d({ objects: [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 1920, 1080], z: 0 }), file('report', 'report.docx', 'windows', [40, 40, 80, 80], 2), file('q3', 'q3-figures.xlsx', 'windows', [40, 180, 80, 80], 2)], tracker: T(0.6, 40), g: fix(80, 80, 1400, { hz: 60, sdFrac: 0.2 }), t: 1400, text: 'open this document', cands: ['report', 'q3'], expect: X('open', 'report') }),
  d({ objects: L1(), tracker: T(0.8, 40), g: fix(1500, 450, 1500, { hz: 60, tail: 600 }), t: 1500, text: 'close this', expect: X('close', 'windows-desktop') }),
  d({ objects: DOCK(), tracker: T(0.5, 45), g: fix(...dockC(0), 1250, { hz: 60, sdFrac: 0.2 }), t: 1250, text: 'fire this up', cands: ['firefox', 'terminal', 'files', 'calculator', 'vscode'], expect: X('launch', 'firefox', { app: 'firefox' }) }),
  d({ objects: [vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [40, 100, 580, 700], 1), surf('terminal', 'Terminal', 'linux', [670, 100, 580, 700], 1), surf('files', 'Files', 'linux', [1300, 100, 580, 700], 1)],
    g: { hz: 60, segs: [[330, 400, 0, 800], [1590, 450, 900, 1500], [960, 450, 1600, 2300]] }, t: 2100, text: 'close this', expect: X('close', 'terminal') }),
  d({ objects: VM3(), tracker: T(1.2, 40), g: fix(960, 500, 1700, { hz: 30 }), t: 1700, text: 'pause that one', expect: X('pause', 'ubuntu') }),
  d({ screen: [2560, 1440], objects: [vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [40, 200, 800, 900], 1), surf('terminal', 'Terminal', 'linux', [880, 200, 800, 900], 1), surf('files', 'Files', 'linux', [1720, 200, 800, 900], 1)], tracker: T(1, 50), g: fix(1280, 650, 1600, { hz: 60, sdFrac: 0.45 }), t: 1600, text: 'focus this', expect: X('focus', 'terminal') }),
  d({ objects: [surf('linux-desktop', 'Linux desktop', 'linux', [0, 0, 1920, 1080], 0), app('gimp', 'GIMP', 'linux', [300, 300, 64, 64], 2), app('inkscape', 'Inkscape', 'linux', [300, 500, 64, 64], 2)], tracker: T(0.5, 40), g: fix(332, 532, 1400, { hz: 60, sdFrac: 0.2 }), t: 1400, text: 'launch this', cands: ['gimp', 'inkscape'], expect: X('launch', 'inkscape', { app: 'inkscape' }) }),

  // ---- clarify: no usable gaze, or candidates within the tracker's accuracy
  d({ objects: L1(), g: null, t: 0, text: 'close this', expect: C('linux-desktop', 'windows-desktop') }),
  d({ objects: L4(), g: null, t: 0, text: 'pause this', expect: C('windows', 'ubuntu') }),
  d({ objects: L1(), g: { hz: 60, segs: [[-400, 300, 0, 1700]] }, t: 1600, text: 'hide this', expect: C('linux-desktop', 'windows-desktop') }),
  d({ objects: DOCK(), tracker: T(3, 40), g: fix(920, 1036, 1500, { hz: 60, sdFrac: 0.1 }), t: 1500, text: 'launch this', cands: ['firefox', 'terminal', 'files', 'calculator', 'vscode'], expect: C('terminal', 'files') }),
  d({ objects: [vm('linux', 'Linux'), surf('terminal', 'Terminal', 'linux', [600, 400, 300, 200], 1), surf('htop', 'htop', 'linux', [908, 400, 300, 200], 1)], tracker: T(2, 40), g: fix(904, 500, 1500, { hz: 60, sdFrac: 0.15 }), t: 1500, text: 'close this', expect: C('terminal', 'htop') }),
  d({ objects: L2(), tracker: T(1.5, 40), g: fix(770, 500, 1500, { hz: 60, sdFrac: 0.15 }), t: 1500, text: 'close this', expect: C('terminal', 'browser') }),
  d({ objects: [surf('linux-desktop', 'Linux desktop', 'linux', [0, 0, 1920, 1080], 0), file('budget', 'budget.xlsx', 'linux', [80, 80, 64, 64], 2), file('budget-old', 'budget-old.xlsx', 'linux', [80, 160, 64, 64], 2), file('notes', 'notes.txt', 'linux', [80, 520, 64, 64], 2)], tracker: T(2.5, 45), g: fix(112, 112, 1400, { hz: 60, sdFrac: 0.1 }), t: 1400, text: 'open this file', cands: ['budget', 'budget-old', 'notes'], expect: C('budget', 'budget-old') }),
  d({ objects: [vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [40, 60, 700, 500], 1), surf('terminal', 'Terminal', 'linux', [1180, 60, 700, 500], 1)], g: fix(960, 850, 1500, { hz: 60 }), t: 1500, text: 'close this', expect: C('browser', 'terminal') }),
  d({ screen: [2560, 1440], objects: [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 2560, 720], z: 1 }), vm('linux', 'Linux', { presented: true }, { rect: [0, 720, 2560, 720], z: 1 })], tracker: T(4, 50), g: fix(1280, 690, 1800, { hz: 30, sdFrac: 0.1 }), t: 1800, text: 'pause this', expect: C('windows', 'linux') }),
  d({ objects: DOCK(), tracker: T(2, 50), g: fix(...dockC(4), 1500, { hz: 60, sdFrac: 0.1 }), t: 1500, text: 'launch this', cands: ['firefox', 'terminal', 'files', 'calculator', 'vscode'], expect: C('vscode', 'calculator') }),
  d({ objects: [vm('linux', 'Linux', { presented: true }, { rect: [0, 0, 1920, 1080], z: 0 }), file('draft', 'draft.odt', 'linux', [100, 100, 64, 64], 2), file('final', 'final.odt', 'linux', [100, 400, 64, 64], 2)], g: null, t: 0, text: 'open this file', cands: ['draft', 'final'], expect: C('draft', 'final') }),
  d({ screen: [1366, 768], objects: [vm('windows', 'Windows', { presented: true }, { rect: [0, 0, 683, 768], z: 1 }), vm('ubuntu', 'Ubuntu', { presented: true }, { rect: [683, 0, 683, 768], z: 1 })], tracker: T(3, 30), g: fix(663, 380, 1600, { hz: 30, sdFrac: 0.1 }), t: 1600, text: 'snapshot this one', expect: C('windows', 'ubuntu') }),
  d({ objects: [vm('linux', 'Linux'), app('firefox', 'Firefox', 'linux', [900, 1012, 48, 48], 3), app('thunderbird', 'Thunderbird', 'linux', [1000, 1012, 48, 48], 3)], g: null, t: 0, text: 'launch this', expect: C('firefox', 'thunderbird') }),
  d({ objects: [vm('windows', 'Windows'), surf('mail', 'Mail', 'windows', [400, 200, 900, 600], 1), surf('calendar', 'Calendar', 'windows', [440, 240, 900, 600], 2)], tracker: T(1.2, 50), g: fix(425, 500, 1500, { hz: 60, sdFrac: 0.1 }), t: 1500, text: 'close this window', expect: C('mail', 'calendar') }),
  d({ objects: [vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [100, 200, 800, 600], 1), surf('editor', 'Text Editor', 'linux', [950, 200, 800, 600], 1)], tracker: T(3.5, 35), g: fix(925, 500, 1800, { hz: 60, sdFrac: 0.1 }), t: 1800, text: 'hide this', expect: C('browser', 'editor') }),
  d({ objects: L4(), g: { hz: 60, segs: [[700, 1450, 0, 900], [1300, 1500, 950, 1900]] }, t: 1700, text: 'snapshot this', expect: C('windows', 'ubuntu') }),
];
