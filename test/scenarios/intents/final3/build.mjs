// Builds final3/*.jsonl. Each scenario is written by hand; gaze traces come from a seeded generator (lib.mjs).
import { writeFileSync } from 'node:fs';
import { vm, surf, app, file, snap, gaze, distToRect, inside, distToEdge } from './lib.mjs';
const out = {}; let seed = 1000;
const E = (action, target, slots) => ({ decision: 'execute', action, target, ...(slots ? { slots } : {}) });
const C = (...options) => ({ decision: 'clarify', ...(options.length ? { options } : {}) });
const I = { decision: 'inform' }, O = { decision: 'out_of_scope' };
const SCREEN = [1920, 1080];
function add(cat, objs, text, expect, o = {}) {
  const list = (out[cat] ||= []); const id = `${cat}-${String(list.length + 1).padStart(2, '0')}`;
  const s = { id, scene: { screen: o.screen || SCREEN, objects: objs } };
  if (o.tracker) s.tracker = o.tracker;
  s.gaze = o.gaze || [];
  if (o.history) s.history = o.history;
  s.utterance = { t: o.t ?? 0, text }; s.expect = expect; list.push(s); return s;
}
const H = (t, text, action, target, slots) => ({ t, text, resolved: { action, target, ...(slots ? { slots } : {}) } });
const EV = (t, event, target) => ({ t, event, target });
// deictic: fixations end at fixEnd; utterance a bit later. check geometry against the expectation.
function look(cat, objs, text, expect, { tr, hz, fix, opt = {}, tUtter, screen }) {
  const g = gaze(seed++, tr, hz, fix, opt); const R = tr.accuracyDeg * tr.pxPerDeg; const last = fix[fix.length - 1]; const p = [last.x, last.y];
  const on = objs.filter((x) => x.rect);
  if (expect.decision === 'execute') {
    const T = on.find((x) => x.id === expect.target); if (!T || !inside(p, T.rect)) throw new Error(`gaze not in target ${text}`);
    for (const x of on) { if (x === T) continue;
      if (inside(p, x.rect)) { if ((x.z ?? 0) >= (T.z ?? 0)) throw new Error(`target occluded ${text}`); if (distToEdge(p, T.rect) < 1.5 * R) throw new Error(`near edge ${text}`); }
      else if (distToRect(p, x.rect) < 1.5 * R) throw new Error(`too close ${x.id} ${text} ${distToRect(p, x.rect)} R=${R}`); }
  } else if (expect.decision === 'clarify' && expect.options) {
    for (const id of expect.options) { const x = on.find((y) => y.id === id); if (!x || distToRect(p, x.rect) > R) throw new Error(`option ${id} not within R ${text}`); }
  }
  return add(cat, objs, text, expect, { tracker: tr, gaze: g, t: tUtter ?? last.t1 + 120, screen });
}
const F = (x, y, t0, t1) => ({ x, y, t0, t1 });

// ---------------- named ----------------
{
  const two = () => [vm('ubuntu', 'Ubuntu', 'linux', 'running'), vm('win11', 'Windows 11', 'windows', 'running')];
  const homeLab = (bb = 'running', hp = 'running', more = {}) => [vm('buildbox', 'Build box', 'linux', bb, more.bb), vm('homepc', 'Home PC', 'windows', hp, more.hp)];
  const n = (objs, text, ex, o) => add('named', objs, text, ex, o);
  n(two(), 'show me the ubuntu desktop', E('present', 'ubuntu'));
  n(two(), 'pause windows', E('pause', 'win11'));
  n(two(), 'could you take a snapshot of the ubuntu vm please', E('snapshot', 'ubuntu'));
  n(homeLab('stopped'), 'start the build box', E('start', 'buildbox'));
  n(homeLab(), 'shut down the home pc', E('stop', 'homepc'));
  n([...two(), app('firefox-ubuntu', 'Firefox', 'linux'), app('edge-win', 'Microsoft Edge', 'windows')], 'launch firefox on ubuntu', E('launch', 'firefox-ubuntu', { app: 'firefox-ubuntu' }));
  n(two(), 'search my ubuntu machine for tax forms', E('search', 'ubuntu', { query: 'tax forms' }));
  n([...two(), surf('browser', 'Browser', 'linux', [120, 90, 1100, 760], 2), surf('term', 'Terminal', 'linux', [1250, 200, 600, 500], 1)], 'hide the browser', E('hide', 'browser'));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'running', { network: 'on' }), vm('win11', 'Windows 11', 'windows', 'running', { network: 'on' })], 'cut the network on the windows vm', E('network_off', 'win11'));
  n([...two(), snap('snap-before-update', 'before update', 'linux'), snap('snap-clean', 'clean install', 'linux')], "restore the 'before update' snapshot", E('restore', 'snap-before-update'));
  n(homeLab(), 'hows the build box doing?', E('status', 'buildbox'));
  n(two(), 'why did you pause windows?', E('explain', 'win11'), { history: [EV(-45000, 'vm.paused', 'win11')] });
  n([...homeLab(), file('budget', 'budget.xlsx', 'windows'), file('notes', 'notes.txt', 'linux')], 'open budget.xlsx', E('open', 'budget'));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'running', { presented: true }), surf('terminal', 'Terminal', 'linux', [80, 600, 900, 420], 2), surf('browser', 'Browser', 'linux', [700, 60, 1150, 800], 1)], 'focus the terminal', E('focus', 'terminal'));
  n([...homeLab(), surf('calc', 'Calculator', 'windows', [1400, 300, 320, 480], 3)], 'close the calculator', E('close', 'calc'));
  n(two(), 'suspend ubuntu', E('suspend', 'ubuntu'));
  n([...two(), snap('snap-before-update', 'before update', 'linux'), snap('snap-clean', 'clean install', 'linux')], 'show details for the clean install snapshot', E('inspect', 'snap-clean'));
  n(homeLab('running', 'paused'), 'resume the home pc', E('resume', 'homepc'));
  n(homeLab('running', 'running', { bb: { network: 'off' } }), 'turn networking back on for the build box', E('network_on', 'buildbox'));
  n(two(), 'bring up the windows desktop', E('present', 'win11'));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'running', { presented: true }), surf('terminal', 'Terminal', 'linux', [100, 100, 640, 400], 2), surf('files', 'Files', 'linux', [900, 500, 800, 450], 1)], 'make the terminal window bigger', E('resize', 'terminal'));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'running', { presented: true }), surf('browser', 'Browser', 'linux', [700, 100, 1000, 700], 2)], 'move the browser over to the left side', E('move', 'browser'));
  n([...homeLab(), app('vscode-bb', 'VS Code', 'linux'), app('paint-hp', 'Paint', 'windows')], 'fire up vs code on the build box', E('launch', 'vscode-bb', { app: 'vscode-bb' }));
  n(two(), 'is the windows vm running?', E('status', 'win11'));
  n(homeLab(), 'snapshot home pc', E('snapshot', 'homepc'));
  n([vm('debian', 'Debian', 'linux', 'running'), vm('win10', 'Windows 10', 'windows', 'running')], 'uh, can you stop the debian vm', E('stop', 'debian'));
  n(homeLab(), 'find invoice 2023 on the home pc', E('search', 'homepc', { query: 'invoice 2023' }));
  n([...two(), surf('spotify', 'Spotify', 'windows', [1300, 600, 560, 420], 2), surf('outlook', 'Outlook', 'windows', [100, 100, 1000, 700], 1)], 'pls hide the spotify window', E('hide', 'spotify'));
  n([...two(), file('report', 'report.pdf', 'windows'), file('slides', 'q3 slides.pptx', 'windows')], 'open the file report.pdf', E('open', 'report'));
  n([...homeLab(), app('notepad-hp', 'Notepad', 'windows'), app('gedit-bb', 'Text Editor', 'linux')], 'start notepad on the home pc', E('launch', 'notepad-hp', { app: 'notepad-hp' }));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'stopped'), vm('win11', 'Windows 11', 'windows', 'running'), snap('snap-fresh', 'fresh setup', 'linux'), snap('snap-dev', 'dev tools installed', 'linux')], "go back to the fresh setup snapshot", E('restore', 'snap-fresh'));
  n(homeLab(), 'show me the build box', E('present', 'buildbox'));
  n(homeLab('running', 'running', { hp: { network: 'on' } }), 'disconnect the home pc from the internet', E('network_off', 'homepc'));
  n([...two(), surf('spotify', 'Spotify', 'windows', [1300, 600, 560, 420], 2)], 'close spotify', E('close', 'spotify'));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'paused'), vm('win11', 'Windows 11', 'windows', 'running')], 'Unpause Ubuntu', E('resume', 'ubuntu'));
  n([vm('ubuntu', 'Ubuntu', 'linux', 'running'), vm('win11', 'Windows 11', 'windows', 'running', { network: 'on' })], 'search windows for "Holiday Photos"', E('search', 'win11', { query: 'holiday photos' }));
}

// ---------------- deictic ----------------
{
  const d = (objs, text, ex, g) => look('deictic', objs, text, ex, g);
  const L1 = () => [surf('linux-desk', 'Ubuntu desktop', 'linux', [60, 80, 880, 640], 1), surf('win-desk', 'Windows desktop', 'windows', [980, 80, 880, 640], 1), vm('ubuntu', 'Ubuntu', 'linux', 'running', { presented: true }), vm('win11', 'Windows 11', 'windows', 'running', { presented: true })];
  const L2 = () => [surf('browser', 'Firefox', 'linux', [200, 150, 1000, 700], 2), surf('terminal', 'Terminal', 'linux', [700, 300, 1000, 650], 1), vm('ubuntu', 'Ubuntu', 'linux', 'running', { presented: true })];
  // sparse dock: 48 px icons, 40 px apart
  const dockW = () => [app('firefox', 'Firefox', 'linux', [600, 1010, 48, 48]), app('files', 'Files', 'linux', [688, 1010, 48, 48]), app('term-app', 'Terminal', 'linux', [776, 1010, 48, 48]), app('vscode', 'VS Code', 'linux', [864, 1010, 48, 48]), surf('browser', 'Firefox', 'linux', [300, 100, 1200, 750], 1)];
  // tight dock: 48 px icons, 8 px apart
  const dockT = () => [app('firefox', 'Firefox', 'linux', [600, 1010, 48, 48]), app('files', 'Files', 'linux', [656, 1010, 48, 48]), app('term-app', 'Terminal', 'linux', [712, 1010, 48, 48]), app('vscode', 'VS Code', 'linux', [768, 1010, 48, 48]), surf('browser', 'Firefox', 'linux', [300, 100, 1200, 750], 1)];
  const L5 = () => [vm('ubuntu', 'Ubuntu', 'linux', 'running', { rect: [60, 80, 860, 620], network: 'on' }), vm('win11', 'Windows 11', 'windows', 'running', { rect: [1000, 80, 860, 620], network: 'on' })];
  const icons = (gap) => [file('report', 'report.pdf', 'windows', [40, 100, 64, 64]), file('budget', 'budget.xlsx', 'windows', [40, 164 + gap, 64, 64]), file('notes', 'notes.txt', 'windows', [40, 228 + 2 * gap, 64, 64]), surf('win-desk', 'Windows desktop', 'windows', [700, 100, 1100, 800], 1)];
  const t1 = { accuracyDeg: 1, pxPerDeg: 40 }, t05 = { accuracyDeg: 0.5, pxPerDeg: 60 }, t2 = { accuracyDeg: 2, pxPerDeg: 40 }, t4 = { accuracyDeg: 4, pxPerDeg: 30 }, t15 = { accuracyDeg: 1.5, pxPerDeg: 50 }, t3 = { accuracyDeg: 3, pxPerDeg: 60 }, t08 = { accuracyDeg: 0.8, pxPerDeg: 35 };
  // execute: clear looks
  d(L1(), 'close this', E('close', 'linux-desk'), { tr: t1, hz: 60, fix: [F(480, 400, 0, 700)] });
  d(L1(), 'hide that', E('hide', 'win-desk'), { tr: t4, hz: 30, fix: [F(1420, 400, 0, 900)] });
  d(L1(), 'bring this one to the front', E('focus', 'win-desk'), { tr: t2, hz: 90, fix: [F(1300, 500, 0, 600)] });
  d(L1(), 'close that window', E('close', 'win-desk'), { tr: t15, hz: 60, fix: [F(400, 300, 0, 400), F(1400, 420, 520, 1100)] });
  d(L1(), 'hide this', E('hide', 'linux-desk'), { tr: t1, hz: 30, fix: [F(1500, 300, 0, 500), F(500, 450, 600, 1200)], opt: { shuffle: 4 } });
  d(L2(), 'close this', E('close', 'browser'), { tr: t1, hz: 60, fix: [F(950, 600, 0, 800)] });
  d(L2(), 'focus that', E('focus', 'terminal'), { tr: t15, hz: 60, fix: [F(1470, 620, 0, 800)] });
  d(L2(), 'hide this window', E('hide', 'browser'), { tr: t05, hz: 90, fix: [F(420, 380, 0, 500)], opt: { off: 3 } });
  d(L2(), 'make this bigger', E('resize', 'terminal'), { tr: t08, hz: 60, fix: [F(500, 400, 0, 300), F(1500, 700, 420, 1000)] });
  d(L2(), 'can you close that one', E('close', 'terminal'), { tr: t1, hz: 30, fix: [F(1450, 500, 0, 900)], opt: { gaps: [[300, 550]] } });
  d(dockW(), 'launch this', E('launch', 'term-app', { app: 'term-app' }), { tr: t05, hz: 60, fix: [F(800, 1034, 0, 600)] });
  d(dockW(), 'run that', E('launch', 'firefox', { app: 'firefox' }), { tr: t08, hz: 90, fix: [F(900, 500, 0, 300), F(624, 1034, 380, 900)] });
  d(dockW(), 'launch this app', E('launch', 'vscode', { app: 'vscode' }), { tr: { accuracyDeg: 1, pxPerDeg: 30 }, hz: 60, fix: [F(888, 1034, 0, 700)] });
  d(dockW(), 'launch that one', E('launch', 'files', { app: 'files' }), { tr: t05, hz: 30, fix: [F(712, 1034, 0, 800)], opt: { off: 2, shuffle: 3 } });
  d(L5(), 'pause this', E('pause', 'ubuntu'), { tr: t1, hz: 60, fix: [F(490, 390, 0, 700)] });
  d(L5(), 'take a snapshot of that', E('snapshot', 'win11'), { tr: t3, hz: 60, fix: [F(1430, 390, 0, 900)] });
  d(L5(), 'stop this vm', E('stop', 'win11'), { tr: t2, hz: 30, fix: [F(500, 400, 0, 400), F(1420, 380, 500, 1100)] });
  d(L5(), "what's the status of this one", E('status', 'ubuntu'), { tr: t15, hz: 90, fix: [F(450, 420, 0, 600)] });
  d(L5(), 'turn off the network for this one', E('network_off', 'win11'), { tr: t1, hz: 60, fix: [F(1400, 350, 0, 800)], opt: { gaps: [[200, 420]], off: 2 } });
  d(L5(), 'search this for invoices', E('search', 'ubuntu', { query: 'invoices' }), { tr: t1, hz: 60, fix: [F(480, 400, 0, 700)] });
  d(L5(), 'suspend that', E('suspend', 'ubuntu'), { tr: t4, hz: 30, fix: [F(1400, 300, 0, 300), F(470, 380, 420, 1000)] });
  d(L5(), 'show me details about this', E('inspect', 'win11'), { tr: t05, hz: 60, fix: [F(1500, 500, 0, 600)], opt: { shuffle: 5 } });
  d(icons(56), 'open this', E('open', 'budget'), { tr: t05, hz: 60, fix: [F(72, 252, 0, 700)] });
  d(icons(56), 'open that file', E('open', 'notes'), { tr: t08, hz: 30, fix: [F(1200, 500, 0, 300), F(72, 372, 400, 1000)] });
  d(icons(56), 'uh open this one', E('open', 'report'), { tr: t05, hz: 90, fix: [F(72, 132, 0, 500)], opt: { off: 4 } });
  d(icons(56), 'close this', E('close', 'win-desk'), { tr: t2, hz: 60, fix: [F(1250, 500, 0, 800)] });
  d([surf('outlook', 'Outlook', 'windows', [100, 100, 1400, 900], 1), surf('teams', 'Teams', 'windows', [1100, 150, 700, 500], 3), surf('notepad', 'Notepad', 'windows', [300, 500, 500, 350], 2)], 'close this', E('close', 'notepad'), { tr: t1, hz: 60, fix: [F(550, 680, 0, 700)] });
  d([surf('outlook', 'Outlook', 'windows', [100, 100, 1400, 900], 1), surf('teams', 'Teams', 'windows', [1100, 150, 700, 500], 3), surf('notepad', 'Notepad', 'windows', [300, 500, 500, 350], 2)], 'hide that', E('hide', 'teams'), { tr: t1, hz: 60, fix: [F(1480, 400, 0, 700)] });
  d([surf('outlook', 'Outlook', 'windows', [100, 100, 1400, 900], 1), surf('teams', 'Teams', 'windows', [1100, 150, 700, 500], 3), surf('notepad', 'Notepad', 'windows', [300, 500, 500, 350], 2)], 'focus this please', E('focus', 'outlook'), { tr: t1, hz: 60, fix: [F(1500, 900, 0, 200), F(600, 280, 300, 900)] });
  d([vm('ubuntu', 'Ubuntu', 'linux', 'running', { rect: [0, 0, 2560, 1440], z: 0 }), surf('gimp', 'GIMP', 'linux', [200, 200, 1400, 900], 2)], 'close this', E('close', 'gimp'), { tr: t3, hz: 60, fix: [F(900, 650, 0, 900)], screen: [2560, 1440] });
  d([vm('buildbox', 'Build box', 'linux', 'running', { rect: [40, 40, 1200, 1000], network: 'on' }), vm('homepc', 'Home PC', 'windows', 'paused', { rect: [1500, 600, 380, 280] })], 'resume this', E('resume', 'homepc'), { tr: t05, hz: 60, fix: [F(1690, 740, 0, 600)] });
  d([vm('buildbox', 'Build box', 'linux', 'running', { rect: [40, 40, 1200, 1000], network: 'on' }), vm('homepc', 'Home PC', 'windows', 'paused', { rect: [1500, 600, 380, 280] })], 'snapshot this box', E('snapshot', 'buildbox'), { tr: t2, hz: 30, fix: [F(640, 540, 0, 1000)], opt: { off: 3, gaps: [[400, 600]] } });
  // one candidate, no gaze
  add('deictic', [surf('calc', 'Calculator', 'windows', [800, 300, 320, 480], 2), vm('win11', 'Windows 11', 'windows', 'running')], 'close this', E('close', 'calc'));
  add('deictic', [file('readme', 'README.md', 'linux', [60, 120, 64, 64]), vm('ubuntu', 'Ubuntu', 'linux', 'running')], 'open this', E('open', 'readme'), { gaze: [] });
  // clarify: candidates closer than the tracker's accuracy
  d(dockT(), 'launch this', C('firefox', 'files'), { tr: t2, hz: 60, fix: [F(624, 1034, 0, 700)] });
  d(dockT(), 'open that app', C('term-app', 'vscode'), { tr: t15, hz: 60, fix: [F(764, 1034, 0, 700)] });
  d(icons(10), 'open this', C('report', 'budget'), { tr: t15, hz: 60, fix: [F(72, 169, 0, 700)] });
  d(icons(6), 'open that file', C('notes', 'budget'), { tr: t4, hz: 30, fix: [F(72, 300, 0, 900)] });
  d([surf('toast-a', 'Slack', 'windows', [1500, 700, 300, 160], 3), surf('toast-b', 'Mail', 'windows', [1500, 880, 300, 160], 3), vm('win11', 'Windows 11', 'windows', 'running', { rect: [0, 0, 1400, 1080], z: 0 })], 'close this', C('toast-a', 'toast-b'), { tr: { accuracyDeg: 4, pxPerDeg: 50 }, hz: 60, fix: [F(1650, 870, 0, 800)] });
  // clarify: no usable gaze and several candidates
  add('deictic', L1().slice(0, 2), 'close this', C('linux-desk', 'win-desk'));
  add('deictic', L5(), 'pause this', C('ubuntu', 'win11'), { tracker: t1 });
  add('deictic', L2().slice(0, 2), 'hide that window', C('browser', 'terminal'), { gaze: [[0, -1, -1], [33, -1, -1], [66, -1, -1], [100, -1, -1], [133, -1, -1]], t: 300, tracker: t1 });
  add('deictic', [file('report', 'report.pdf', 'windows', [40, 100, 64, 64]), file('budget', 'budget.xlsx', 'windows', [40, 400, 64, 64])], 'open this one', C('report', 'budget'), { gaze: [[0, 2400, -300], [33, 2410, -310], [66, 2395, -290], [100, 2405, -305]], t: 200 });
  add('deictic', [app('firefox', 'Firefox', 'linux', [600, 1010, 48, 48]), app('files', 'Files', 'linux', [900, 1010, 48, 48])], 'launch that', C('firefox', 'files'));
}
add('deictic', [surf('linux-desk', 'Ubuntu desktop', 'linux', [60, 80, 880, 640], 1), surf('win-desk', 'Windows desktop', 'windows', [980, 80, 880, 640], 1)], 'hide this', C('linux-desk', 'win-desk'), { gaze: [[-2000, 500, 400], [-1967, 505, 402]].filter(() => false) });

// ---------------- anaphoric ----------------
{
  const two = (u = 'running', w = 'running', m = {}) => [vm('ubuntu', 'Ubuntu', 'linux', u, m.u), vm('win11', 'Windows 11', 'windows', w, m.w)];
  const lab = (b = 'running', h = 'running') => [vm('buildbox', 'Build box', 'linux', b), vm('homepc', 'Home PC', 'windows', h)];
  const a = (objs, hist, text, ex) => add('anaphoric', objs, text, ex, { history: hist });
  a(two('running', 'running', { u: { presented: true } }), [H(-4000, 'show the ubuntu desktop', 'present', 'ubuntu')], 'now take a snapshot of it', E('snapshot', 'ubuntu'));
  a(two(), [H(-6000, 'whats the status of windows', 'status', 'win11')], 'ok pause it', E('pause', 'win11'));
  a(lab(), [H(-5000, 'show me the build box', 'present', 'buildbox')], 'search it for docker-compose.yml', E('search', 'buildbox', { query: 'docker-compose.yml' }));
  a(lab('running', 'paused'), [H(-8000, 'pause the home pc', 'pause', 'homepc')], 'actually resume it', E('resume', 'homepc'));
  a(two(), [H(-9000, 'show windows', 'present', 'win11'), H(-3000, 'snapshot ubuntu', 'snapshot', 'ubuntu')], 'and now stop it', E('stop', 'ubuntu'));
  a([...two(), surf('browser', 'Browser', 'linux', [100, 100, 1000, 700], 2)], [H(-4000, 'focus the browser', 'focus', 'browser')], 'make it bigger', E('resize', 'browser'));
  a([...two(), surf('browser', 'Browser', 'linux', [100, 100, 1000, 700], 2)], [H(-2500, 'focus the browser', 'focus', 'browser')], 'close it', E('close', 'browser'));
  a(two('running', 'running', { w: { network: 'on' } }), [H(-7000, 'is windows online?', 'status', 'win11')], 'turn its network off', E('network_off', 'win11'));
  a(lab(), [H(-5000, 'snapshot the home pc', 'snapshot', 'homepc')], 'what state is it in now?', E('status', 'homepc'));
  a([...two(), snap('s1', 'before update', 'linux'), snap('s2', 'clean install', 'linux')], [H(-6000, 'show details of the clean install snapshot', 'inspect', 's2')], 'restore that one', E('restore', 's2'));
  a([...two(), snap('s1', 'before update', 'linux'), snap('s2', 'clean install', 'linux')], [H(-6000, 'what is in the before update snapshot', 'inspect', 's1')], 'ok roll back to it', E('restore', 's1'));
  a(two('paused'), [H(-3000, 'snapshot ubuntu', 'snapshot', 'ubuntu')], 'show me details about it', E('inspect', 'ubuntu'));
  a(lab(), [H(-4000, 'pause the build box', 'pause', 'buildbox')], 'do the same to the home pc', E('pause', 'homepc'));
  a(two(), [H(-5000, 'snapshot windows', 'snapshot', 'win11')], 'same for ubuntu please', E('snapshot', 'ubuntu'));
  a([...two(), surf('spotify', 'Spotify', 'windows', [1200, 500, 600, 450], 2)], [H(-3000, 'focus spotify', 'focus', 'spotify')], 'hide it', E('hide', 'spotify'));
  a([...two(), surf('spotify', 'Spotify', 'windows', [1200, 500, 600, 450], 2)], [H(-3000, 'move spotify to the right', 'move', 'spotify')], 'now close it', E('close', 'spotify'));
  a(lab(), [H(-12000, 'show the home pc', 'present', 'homepc')], 'suspend it', E('suspend', 'homepc'));
  a([...lab(), file('budget', 'budget.xlsx', 'windows')], [H(-4000, 'open budget.xlsx', 'open', 'budget')], 'close it', E('close', 'budget'));
  a([...lab(), file('budget', 'budget.xlsx', 'windows')], [H(-4000, 'show details for budget.xlsx', 'inspect', 'budget')], 'ok open it', E('open', 'budget'));
  a(two(), [H(-6000, 'search windows for receipts', 'search', 'win11', { query: 'receipts' })], 'now look in it for invoices too', E('search', 'win11', { query: 'invoices' }));
  a(two('stopped'), [H(-5000, 'is ubuntu running?', 'status', 'ubuntu')], 'start it up then', E('start', 'ubuntu'));
  a(lab(), [H(-15000, 'pause the home pc', 'pause', 'homepc'), H(-6000, 'status of the build box', 'status', 'buildbox')], 'snapshot it', E('snapshot', 'buildbox'));
  a([...two(), app('firefox', 'Firefox', 'linux'), surf('term', 'Terminal', 'linux', [200, 200, 800, 500], 2)], [H(-4000, 'focus the terminal', 'focus', 'term')], 'move it to the other monitor side', E('move', 'term'));
  a(two('running', 'stopped'), [EV(-60000, 'vm.stopped', 'win11'), H(-4000, 'is windows ok?', 'status', 'win11')], 'hmm why did it stop', E('explain', 'win11'));
  a(lab(), [H(-3000, 'show the build box', 'present', 'buildbox')], 'pls focus it', E('focus', 'buildbox'));
  a(two('running', 'running', { u: { network: 'off' } }), [H(-5000, 'cut the network on ubuntu', 'network_off', 'ubuntu')], 'ok turn it back on', E('network_on', 'ubuntu'));
  a(lab(), [H(-6000, 'snapshot the build box', 'snapshot', 'buildbox')], 'then shut it down', E('stop', 'buildbox'));
  a(two(), [H(-6000, 'pause ubuntu', 'pause', 'ubuntu')], 'do the same thing for windows', E('pause', 'win11'));
  a([...two(), surf('browser', 'Browser', 'linux', [100, 100, 1000, 700], 2), surf('mail', 'Mail', 'windows', [1150, 100, 700, 700], 2)], [H(-8000, 'hide the browser', 'hide', 'browser'), H(-3000, 'focus mail', 'focus', 'mail')], 'close it', E('close', 'mail'));
  a(two(), [H(-4000, 'show me ubuntu', 'present', 'ubuntu')], 'what is its status', E('status', 'ubuntu'));
}

// ---------------- temporal ----------------
{
  const two = (u = 'running', w = 'running') => [vm('ubuntu', 'Ubuntu', 'linux', u), vm('win11', 'Windows 11', 'windows', w)];
  const lab = (b = 'running', h = 'running') => [vm('buildbox', 'Build box', 'linux', b), vm('homepc', 'Home PC', 'windows', h)];
  const tt = (objs, hist, text, ex) => add('temporal', objs, text, ex, { history: hist });
  tt(two(), [H(-5000, 'snapshot ubuntu', 'snapshot', 'ubuntu'), EV(-4000, 'snapshot.taken', 'snap-u1')].slice(0, 1), 'do that again', E('replay', 'ubuntu'));
  tt(lab(), [H(-6000, 'search the build box for logs', 'search', 'buildbox', { query: 'logs' })], 'repeat that', E('replay', 'buildbox'));
  tt(two(), [H(-4000, 'snapshot windows', 'snapshot', 'win11')], 'one more time', E('replay', 'win11'));
  tt(lab(), [H(-9000, 'snapshot the home pc', 'snapshot', 'homepc'), H(-3000, 'status of the build box', 'status', 'buildbox')], 'again please', E('replay', 'buildbox'));
  tt([...two(), surf('browser', 'Browser', 'linux', null)], [H(-6000, 'hide the browser', 'hide', 'browser'), EV(-5900, 'surface.hidden', 'browser')], 'bring it back', E('present', 'browser'));
  tt([...two(), surf('spotify', 'Spotify', 'windows', null)], [H(-20000, 'hide spotify', 'hide', 'spotify'), EV(-19900, 'surface.hidden', 'spotify')], 'show me that again', E('present', 'spotify'));
  tt(two('running', 'paused'), [H(-7000, 'pause windows', 'pause', 'win11'), EV(-6900, 'vm.paused', 'win11')], 'ok bring it back', E('resume', 'win11'));
  tt(lab('paused'), [H(-30000, 'pause the build box', 'pause', 'buildbox'), EV(-29800, 'vm.paused', 'buildbox')], 'can you bring it back now', E('resume', 'buildbox'));
  tt([...two(), surf('browser', 'Browser', 'linux', null)], [H(-8000, 'close the browser', 'close', 'browser'), EV(-7900, 'surface.closed', 'browser')], 'let me take another look at it', C('restore', 'inspect'));
  tt([...lab(), surf('excel', 'Excel', 'windows', null)], [H(-5000, 'close excel', 'close', 'excel'), EV(-4900, 'surface.closed', 'excel')], 'i want to take another look', C('restore', 'inspect'));
  const pz = [vm('ubuntu', 'Ubuntu', 'linux', 'paused'), vm('win11', 'Windows 11', 'windows', 'paused'), vm('buildbox', 'Build box', 'linux', 'running')];
  tt(pz, [H(-60000, 'pause ubuntu', 'pause', 'ubuntu'), EV(-59900, 'vm.paused', 'ubuntu'), H(-20000, 'pause windows', 'pause', 'win11'), EV(-19900, 'vm.paused', 'win11')], 'resume the one I paused first', E('resume', 'ubuntu'));
  tt(pz, [H(-60000, 'pause ubuntu', 'pause', 'ubuntu'), EV(-59900, 'vm.paused', 'ubuntu'), H(-20000, 'pause windows', 'pause', 'win11'), EV(-19900, 'vm.paused', 'win11')], 'unpause whichever one i paused last', E('resume', 'win11'));
  tt(pz, [EV(-300000, 'vm.paused', 'win11'), EV(-120000, 'vm.paused', 'ubuntu')], 'resume the vm that got paused first', E('resume', 'win11'));
  tt(pz, [EV(-300000, 'vm.paused', 'win11'), EV(-120000, 'vm.paused', 'ubuntu')], 'snapshot the most recently paused one', E('snapshot', 'ubuntu'));
  const sn = () => [vm('ubuntu', 'Ubuntu', 'linux', 'running'), snap('snap-a', 'Ubuntu snapshot', 'linux'), snap('snap-b', 'Ubuntu snapshot (2)', 'linux')];
  tt(sn(), [EV(-600000, 'snapshot.taken', 'snap-a'), EV(-60000, 'snapshot.taken', 'snap-b')], 'restore the snapshot from ten minutes ago', E('restore', 'snap-a'));
  tt(sn(), [EV(-600000, 'snapshot.taken', 'snap-a'), EV(-60000, 'snapshot.taken', 'snap-b')], 'roll back to the snapshot i took a minute ago', E('restore', 'snap-b'));
  tt(sn(), [EV(-3600000, 'snapshot.taken', 'snap-a'), EV(-300000, 'snapshot.taken', 'snap-b')], 'show me details of the latest snapshot', E('inspect', 'snap-b'));
  tt(sn(), [EV(-3600000, 'snapshot.taken', 'snap-a'), EV(-300000, 'snapshot.taken', 'snap-b')], 'go back to the older snapshot', E('restore', 'snap-a'));
  tt(sn(), [EV(-3600000, 'snapshot.taken', 'snap-a'), EV(-300000, 'snapshot.taken', 'snap-b')], 'restore the one from about an hour ago', E('restore', 'snap-a'));
  const hd = () => [vm('win11', 'Windows 11', 'windows', 'running'), surf('browser', 'Browser', 'windows', null), surf('spotify', 'Spotify', 'windows', null), surf('mail', 'Mail', 'windows', [200, 100, 900, 700], 1)];
  tt(hd(), [EV(-90000, 'surface.hidden', 'browser'), EV(-20000, 'surface.hidden', 'spotify')], 'show what I hid last', E('present', 'spotify'));
  tt(hd(), [EV(-90000, 'surface.hidden', 'browser'), EV(-20000, 'surface.hidden', 'spotify')], 'bring back the first window i hid', E('present', 'browser'));
  tt(hd(), [H(-90000, 'hide spotify', 'hide', 'spotify'), EV(-89900, 'surface.hidden', 'spotify'), H(-30000, 'hide the browser', 'hide', 'browser'), EV(-29900, 'surface.hidden', 'browser')], 'unhide the last thing i hid', E('present', 'browser'));
  tt(hd(), [H(-90000, 'hide spotify', 'hide', 'spotify'), EV(-89900, 'surface.hidden', 'spotify'), H(-30000, 'hide the browser', 'hide', 'browser'), EV(-29900, 'surface.hidden', 'browser')], 'show me the window i hid before that one', E('present', 'spotify'));
  const st = [vm('ubuntu', 'Ubuntu', 'linux', 'running'), vm('win11', 'Windows 11', 'windows', 'running'), vm('buildbox', 'Build box', 'linux', 'running')];
  tt(st, [EV(-400000, 'vm.started', 'win11'), EV(-200000, 'vm.started', 'buildbox'), EV(-50000, 'vm.started', 'ubuntu')], 'pause the vm i started most recently', E('pause', 'ubuntu'));
  tt(st, [EV(-400000, 'vm.started', 'win11'), EV(-200000, 'vm.started', 'buildbox'), EV(-50000, 'vm.started', 'ubuntu')], 'stop the first one i started', E('stop', 'win11'));
  tt(two('running', 'paused'), [EV(-60000, 'vm.paused', 'win11')], 'why did windows get paused a minute ago?', E('explain', 'win11'));
  tt(two(), [EV(-120000, 'vm.network_off', 'ubuntu'), EV(-30000, 'vm.paused', 'win11')], 'why did you turn off the network earlier', E('explain', 'ubuntu'));
  tt([...two(), surf('term', 'Terminal', 'linux', null)], [H(-5000, 'close the terminal', 'close', 'term'), EV(-4900, 'surface.closed', 'term')], 'take another look at that', C('restore', 'inspect'));
  tt(lab('paused', 'paused'), [EV(-500000, 'vm.paused', 'homepc'), EV(-100000, 'vm.paused', 'buildbox')], 'bring back the one that was paused first', E('resume', 'homepc'));
  tt(two(), [H(-7000, 'search ubuntu for thesis draft', 'search', 'ubuntu', { query: 'thesis draft' })], 'run that search again', E('replay', 'ubuntu'));
  tt([...two(), surf('browser', 'Browser', 'linux', null)], [H(-15000, 'hide the browser', 'hide', 'browser'), EV(-14900, 'surface.hidden', 'browser'), H(-5000, 'status of windows', 'status', 'win11')], 'bring the browser back', E('present', 'browser'));
  tt([vm('ubuntu', 'Ubuntu', 'linux', 'running'), snap('sa', 'Ubuntu snapshot', 'linux'), snap('sb', 'Ubuntu snapshot (2)', 'linux'), snap('sc', 'Ubuntu snapshot (3)', 'linux')], [EV(-1800000, 'snapshot.taken', 'sa'), EV(-600000, 'snapshot.taken', 'sb'), EV(-30000, 'snapshot.taken', 'sc')], 'restore the snapshot from ten minutes ago', E('restore', 'sb'));
  tt(lab(), [H(-5000, 'snapshot the build box', 'snapshot', 'buildbox')], 'do it again', E('replay', 'buildbox'));
  tt(lab('paused', 'running'), [H(-9000, 'pause the build box', 'pause', 'buildbox'), EV(-8900, 'vm.paused', 'buildbox')], 'unpause it again', E('resume', 'buildbox'));
  tt([...two(), surf('mail', 'Mail', 'windows', null)], [H(-40000, 'hide mail', 'hide', 'mail'), EV(-39900, 'surface.hidden', 'mail')], 'put mail back on screen', E('present', 'mail'));
}

// ---------------- precondition ----------------
{
  const p = (objs, text, ex, o) => add('precondition', objs, text, ex, o);
  const V = (u, w, m = {}) => [vm('ubuntu', 'Ubuntu', 'linux', u, m.u), vm('win11', 'Windows 11', 'windows', w, m.w)];
  const L = (b, h, m = {}) => [vm('buildbox', 'Build box', 'linux', b, m.b), vm('homepc', 'Home PC', 'windows', h, m.h)];
  p(V('running', 'paused'), 'pause windows', I);
  p(V('running', 'running'), 'start ubuntu', I);
  p(V('running', 'suspended'), 'could you suspend the windows vm', I);
  p(L('stopped', 'running'), 'stop the build box', I);
  p(L('running', 'running'), 'resume the home pc', I);
  p(L('stopped', 'running'), 'resume the build box', I);
  p(V('running', 'running', { w: { network: 'off' } }), 'turn off networking on windows', I);
  p(V('running', 'running', { u: { network: 'on' } }), 'turn the network on for ubuntu', I);
  p(L('suspended', 'running'), 'suspend the build box', I);
  p(L('stopped', 'running'), 'suspend the build box', I);
  p(V('stopped', 'running'), 'pause ubuntu', I);
  p(V('running', 'stopped'), 'pause the windows vm please', I);
  p(L('running', 'paused'), 'hey pause the home pc', I);
  p([...V('running', 'running'), surf('browser', 'Browser', 'linux', null)], 'hide the browser', I);
  p(V('running', 'stopped'), 'shut down windows', I);
  p(L('running', 'running', { b: { network: 'off' } }), 'disconnect the build box from the network', I);
  p(L('running', 'running', { h: { network: 'on' } }), 'reconnect the home pc to the internet', I);
  p(V('running', 'running'), 'unpause ubuntu', I);
  p(V('stopped', 'stopped'), 'stop ubuntu', I);
  p(L('paused', 'running'), 'pause build box', I);
  // preconditions hold
  p(V('running', 'paused'), 'pause ubuntu', E('pause', 'ubuntu'));
  p(V('stopped', 'running'), 'start ubuntu', E('start', 'ubuntu'));
  p(L('running', 'suspended'), 'resume the home pc', E('resume', 'homepc'));
  p(L('running', 'running', { b: { network: 'on' } }), 'turn off the network on the build box', E('network_off', 'buildbox'));
  p(V('running', 'running', { w: { network: 'off' } }), 'turn networking back on for windows', E('network_on', 'win11'));
  p(V('running', 'running'), 'stop the windows vm', E('stop', 'win11'));
  p([...V('running', 'running'), surf('browser', 'Browser', 'linux', [100, 100, 900, 700], 1)], 'hide the browser', E('hide', 'browser'));
  p(L('paused', 'running'), 'resume build box', E('resume', 'buildbox'));
  p(L('running', 'stopped'), 'boot the home pc', E('start', 'homepc'));
  p(V('running', 'running'), 'suspend windows', E('suspend', 'win11'));
}

// ---------------- out_of_scope ----------------
{
  const sc = [() => [vm('ubuntu', 'Ubuntu', 'linux', 'running'), vm('win11', 'Windows 11', 'windows', 'running')], () => [vm('buildbox', 'Build box', 'linux', 'running', { presented: true }), vm('homepc', 'Home PC', 'windows', 'paused'), surf('term', 'Terminal', 'linux', [100, 100, 900, 600], 2)], () => [vm('ubuntu', 'Ubuntu', 'linux', 'running'), app('firefox', 'Firefox', 'linux'), snap('s1', 'clean install', 'linux')]];
  const texts = ["what's the weather like tomorrow", 'tell me a joke', 'who won the world cup in 2018', 'order a large pepperoni pizza', "what's 17 times 23", 'translate good morning into spanish', 'set an alarm for 7am', 'call mom', 'write me a poem about autumn', 'how tall is mount everest', 'what is the capital of peru', "what's apple's stock price right now", 'book a table for two at 8', 'remind me to buy milk', 'turn on the living room lights', 'email my boss that i will be late', 'what time is it in tokyo', 'how do i make banana bread', 'recommend a good sci-fi novel', 'who is the president of france', 'how many calories are in an avocado', 'lol', 'thanks, that is all', 'can you help me with my chemistry homework', 'what should i name my cat', 'text jake im running late', 'whats the score of the lakers game', 'how far is the moon', 'summarize the news for today', 'what does ephemeral mean', 'i feel kind of tired today', 'convert 5 miles to kilometers', 'is it going to rain this weekend', 'sing happy birthday', 'flip a coin', 'what year did the titanic sink', 'give me a workout plan', 'uber to the airport please', 'whats the best pizza place nearby', 'do you dream?'];
  texts.forEach((t, i) => add('out_of_scope', sc[i % 3](), t, O));
}

// ---------------- ambiguous ----------------
{
  const m = (objs, text, ex, o) => add('ambiguous', objs, text, ex, o);
  const V = () => [vm('ubuntu', 'Ubuntu', 'linux', 'running'), vm('win11', 'Windows 11', 'windows', 'running')];
  m(V(), 'pause the vm', C('ubuntu', 'win11'));
  m(V(), 'take a snapshot', C('ubuntu', 'win11'));
  m(V(), 'show me the desktop', C('ubuntu', 'win11'));
  m([vm('ubuntu', 'Ubuntu', 'linux', 'stopped'), vm('debian', 'Debian', 'linux', 'stopped'), vm('win11', 'Windows 11', 'windows', 'running')], 'start the linux vm', C('ubuntu', 'debian'));
  m([...V(), app('term-linux', 'Terminal', 'linux'), app('term-win', 'Terminal', 'windows')], 'launch terminal', C('term-linux', 'term-win'));
  m([...V(), file('notes-l', 'notes.txt', 'linux'), file('notes-w', 'notes.txt', 'windows')], 'open notes.txt', C('notes-l', 'notes-w'));
  m([...V(), snap('s1', 'before update', 'linux'), snap('s2', 'clean install', 'linux')], 'restore the snapshot', C('s1', 's2'));
  m([...V(), surf('browser', 'Browser', 'linux', [100, 100, 800, 600], 1), surf('mail', 'Mail', 'windows', [1000, 100, 800, 600], 1)], 'close it', C('browser', 'mail'));
  m([...V(), surf('browser', 'Browser', 'linux', [100, 100, 800, 600], 1), surf('mail', 'Mail', 'windows', [1000, 100, 800, 600], 1)], 'hide the window', C('browser', 'mail'));
  m(V(), 'search for tax forms', C('ubuntu', 'win11'));
  m([vm('ubuntu', 'Ubuntu', 'linux', 'running', { network: 'on' }), vm('win11', 'Windows 11', 'windows', 'running', { network: 'on' })], 'turn off the network', C('ubuntu', 'win11'));
  m([vm('ubuntu', 'Ubuntu', 'linux', 'paused'), vm('win11', 'Windows 11', 'windows', 'paused')], 'resume', C('ubuntu', 'win11'));
  m([vm('ubuntu', 'Ubuntu', 'linux', 'paused'), vm('win11', 'Windows 11', 'windows', 'paused')], 'bring it back', C('ubuntu', 'win11'), { history: [EV(-5000, 'vm.paused', 'ubuntu'), EV(-5000, 'vm.paused', 'win11')] });
  m([...V(), surf('browser', 'Browser', 'linux', null)], 'take another look at the browser', C('restore', 'inspect'), { history: [H(-9000, 'close the browser', 'close', 'browser'), EV(-8900, 'surface.closed', 'browser')] });
  m([vm('buildbox', 'Build box', 'linux', 'running'), vm('homepc', 'Home PC', 'windows', 'running'), vm('gamepc', 'Gaming PC', 'windows', 'running')], 'stop the windows machine', C('homepc', 'gamepc'));
  m([vm('buildbox', 'Build box', 'linux', 'running'), vm('homepc', 'Home PC', 'windows', 'running')], "what's the status", C('buildbox', 'homepc'));
  m([...V(), app('firefox-l', 'Firefox', 'linux'), app('firefox-w', 'Firefox', 'windows')], 'launch firefox', C('firefox-l', 'firefox-w'));
  m([...V(), surf('term1', 'Terminal', 'linux', [100, 100, 700, 500], 1), surf('term2', 'Terminal', 'linux', [900, 400, 700, 500], 1)], 'close the terminal', C('term1', 'term2'));
  m([...V(), file('rep1', 'report.pdf', 'windows'), file('rep2', 'report.pdf', 'linux')], 'show me details of report.pdf', C('rep1', 'rep2'));
  m(V(), 'suspend it', C('ubuntu', 'win11'));
  m([vm('ubuntu', 'Ubuntu', 'linux', 'running'), vm('win11', 'Windows 11', 'windows', 'running'), snap('sa', 'nightly', 'linux'), snap('sb', 'nightly', 'windows')], 'restore the nightly snapshot', C('sa', 'sb'));
  m(V(), 'pause one of the vms', C('ubuntu', 'win11'));
  m([...V(), surf('excel', 'Excel', 'windows', null)], 'can we take another look at excel', C('restore', 'inspect'), { history: [EV(-12000, 'surface.closed', 'excel')] });
  m([vm('ubuntu', 'Ubuntu', 'linux', 'stopped'), vm('win11', 'Windows 11', 'windows', 'stopped')], 'boot it up', C('ubuntu', 'win11'));
  m([...V(), surf('browser', 'Browser', 'linux', [100, 100, 800, 600], 1), surf('mail', 'Mail', 'windows', [1000, 100, 800, 600], 1)], 'make it bigger', C('browser', 'mail'));
}

for (const [cat, list] of Object.entries(out)) writeFileSync(new URL(`./${cat}.jsonl`, import.meta.url), list.map((s) => JSON.stringify(s)).join('\n') + '\n');
console.log(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length])));
