// deictic: "this" / "that" resolved by gaze. Expectations follow the README: gaze that clearly rests on one
// candidate (no other candidate within the tracker's accuracy of where it rests) → execute; two candidates
// within accuracy of the resting point → clarify offering both; no gaze and several candidates → clarify.
export default function deictic({ r, vm, surface, app, file, scene, X, C, trace, bias, gap, offscreen, disorder, spikes, at }) {
  const T = (accuracyDeg, pxPerDeg = 40) => ({ accuracyDeg, pxPerDeg });
  const accPx = (tr) => tr.accuracyDeg * tr.pxPerDeg;
  /** fixations [[x, y, ms], ...] ending at `end`, with tracker bias (frac × accuracy) and noise. */
  const look = (tr, fix, { end = 0, frac = 0.3, sd, hz = 30 } = {}) =>
    trace(r, { end, fix, hz, sd: sd ?? Math.max(3, accPx(tr) * 0.12), off: bias(r, tr, frac) });

  // ---- layouts ----
  const LIN = [40, 60, 900, 680];
  const WIN = [980, 60, 900, 680];
  const sideBySide = (extra = []) =>
    scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running', network: 'on' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running', network: 'on' }),
      surface('linux-desktop', 'Linux desktop', 'linux', LIN, 1),
      surface('windows-desktop', 'Windows desktop', 'windows', WIN, 1),
      ...extra,
    ]);
  const vmsOnScreen = ({ lin = {}, win = {}, extra = [] } = {}) =>
    scene([
      vm('linux', 'Linux', 'linux', { power: 'running', presented: true, network: 'on', ...lin }, LIN, 1),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: true, network: 'on', ...win }, WIN, 1),
      ...extra,
    ]);
  const BROWSER = [160, 90, 1500, 880];
  const CALC = [1100, 420, 300, 360];
  const overlap = (calcRect = CALC) =>
    scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('browser', 'Firefox', 'linux', BROWSER, 1),
      surface('calc', 'Calculator', 'linux', calcRect, 2),
    ]);
  // dock of 64 px app icons at y=996, `pitch` px apart, under a large window
  const DOCK_APPS = [
    ['terminal', 'Terminal'],
    ['files', 'Files'],
    ['firefox-app', 'Firefox'],
    ['vscode', 'VS Code'],
    ['settings', 'Settings'],
  ];
  const dockRect = (i, pitch, x0 = 640) => [x0 + i * pitch, 996, 64, 64];
  const dock = (pitch, extra = []) =>
    scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('linux-desktop', 'Linux desktop', 'linux', [200, 40, 1520, 900], 1),
      ...DOCK_APPS.map(([id, label], i) => app(id, label, 'linux', dockRect(i, pitch), 5)),
      ...extra,
    ]);
  // desktop file icons in a column, 64 px, 100 px apart
  const FILES = [
    ['report', 'report.pdf'],
    ['photo', 'beach.jpg'],
    ['notes', 'notes.txt'],
    ['budget', 'budget.xlsx'],
  ];
  const fileRect = (i) => [40, 40 + i * 100, 64, 64];
  const fileColumn = (extra = []) =>
    scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      ...FILES.map(([id, label], i) => file(id, label, 'windows', fileRect(i), 3)),
      surface('windows-desktop', 'Windows desktop', 'windows', [400, 60, 1400, 900], 1),
      ...extra,
    ]);
  // three cascaded windows
  const W1 = [100, 100, 900, 600];
  const W2 = [250, 200, 900, 600];
  const W3 = [400, 300, 900, 600];
  const cascade = () =>
    scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('w-mail', 'Outlook', 'windows', W1, 1),
      surface('w-excel', 'Excel', 'windows', W2, 2),
      surface('w-word', 'Word', 'windows', W3, 3),
    ]);

  const c = (rect) => at(rect);
  const cases = [];
  const add = (o) => cases.push(o);

  // ---- A. two large windows side by side (40 px apart) ----
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[1400, 380, 900]], { end: 650 }), u: [700, 'close this'], expect: X('close', 'windows-desktop') });
  }
  {
    const tr = T(2);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[480, 420, 1000]]), u: [0, 'hide that'], expect: X('hide', 'linux-desktop') });
  }
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[958, 400, 800]], { frac: 0.1 }), u: [0, 'open this'], expect: C('linux-desktop', 'windows-desktop') });
  }
  {
    const tr = T(2);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[1002, 300, 900]], { frac: 0.1, end: 980 }), u: [1000, 'open this one'], expect: C('linux-desktop', 'windows-desktop') });
  }
  {
    const tr = T(4);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[700, 500, 1200]], { frac: 0.2 }), u: [0, 'close that window'], expect: X('close', 'linux-desktop') });
  }
  {
    const tr = T(4);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[905, 500, 1100]], { frac: 0.1 }), u: [0, 'hide this'], expect: C('linux-desktop', 'windows-desktop') });
  }
  {
    const tr = T(0.5);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[918, 300, 700]], { frac: 0.2 }), u: [0, 'focus this'], expect: X('focus', 'linux-desktop') });
  }
  {
    const tr = T(2);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[1500, 560, 1000]]), u: [0, 'move this to the left'], expect: X('move', 'windows-desktop') });
  }
  {
    // a demonstrative follows gaze even when the conversation was about something else
    const tr = T(1);
    add({
      scene: sideBySide(),
      tracker: tr,
      gaze: look(tr, [[1450, 300, 1000]]),
      history: [{ t: -30000, text: 'show the linux desktop', resolved: { action: 'present', target: 'linux-desktop' } }],
      u: [0, 'close this'],
      expect: X('close', 'windows-desktop'),
    });
  }

  // ---- B. a small window on top of a big one; cascades ----
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [c(CALC).concat(900)]), u: [0, 'close this'], expect: X('close', 'calc') });
  }
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [[500, 400, 900]]), u: [0, 'close this window'], expect: X('close', 'browser') });
  }
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [[1112, 600, 900]], { frac: 0.1 }), u: [0, 'close this'], expect: C('calc', 'browser') });
  }
  {
    const tr = T(4);
    const small = [1150, 500, 240, 200];
    add({ scene: overlap(small), tracker: tr, gaze: look(tr, [c(small).concat(1000)], { frac: 0.2 }), u: [0, 'hide that'], expect: C('calc', 'browser') });
  }
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [[1082, 640, 800]], { frac: 0.1 }), u: [0, 'close that one'], expect: C('calc', 'browser') });
  }
  {
    const tr = T(0.5);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [[1135, 600, 800]], { frac: 0.2 }), u: [0, 'minimize this'], expect: X('hide', 'calc') });
  }
  {
    const tr = T(0.5);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [c(CALC).concat(900)]), u: [0, 'make this one bigger'], expect: X('resize', 'calc') });
  }
  {
    const tr = T(1);
    add({ scene: cascade(), tracker: tr, gaze: look(tr, [[180, 140, 900]], { frac: 0.2 }), u: [0, 'bring this to the front'], expect: X('focus', 'w-mail') });
  }
  {
    const tr = T(1);
    add({ scene: cascade(), tracker: tr, gaze: look(tr, [[1000, 700, 900]]), u: [0, 'close this one'], expect: X('close', 'w-word') });
  }
  {
    const tr = T(1);
    add({ scene: cascade(), tracker: tr, gaze: look(tr, [[330, 245, 900]], { frac: 0.15 }), u: [0, 'hide this'], expect: X('hide', 'w-excel') });
  }
  {
    const tr = T(2);
    add({ scene: cascade(), tracker: tr, gaze: look(tr, [[410, 310, 900]], { frac: 0.1 }), u: [0, 'close this'], expect: C('w-excel', 'w-word') });
  }

  // ---- C. dock icons ----
  {
    const tr = T(0.5);
    add({ scene: dock(80), tracker: tr, gaze: look(tr, [c(dockRect(2, 80)).concat(800)]), u: [0, 'launch this'], expect: X('launch', 'firefox-app', { app: 'firefox-app' }) });
  }
  {
    const tr = T(2);
    add({ scene: dock(80), tracker: tr, gaze: look(tr, [[872, 1028, 900]], { frac: 0.1 }), u: [0, 'run this one'], expect: C('firefox-app', 'vscode') });
  }
  {
    const tr = T(1);
    add({ scene: dock(120), tracker: tr, gaze: look(tr, [c(dockRect(2, 120)).concat(900)]), u: [0, 'launch that'], expect: X('launch', 'firefox-app', { app: 'firefox-app' }) });
  }
  {
    const tr = T(4);
    const calcIcon = [1800, 460, 64, 64];
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('linux-desktop', 'Linux desktop', 'linux', [100, 100, 1200, 800], 1),
      app('calculator', 'Calculator', 'linux', calcIcon, 5),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [c(calcIcon).concat(1000)], { frac: 0.25 }), u: [0, 'launch this'], expect: X('launch', 'calculator', { app: 'calculator' }) });
  }
  {
    const tr = T(0.5);
    add({ scene: dock(80), tracker: tr, gaze: look(tr, [[300, 400, 500], c(dockRect(1, 80)).concat(600)]), u: [0, 'start this app'], expect: X('launch', 'files', { app: 'files' }) });
  }
  {
    const tr = T(2);
    add({ scene: dock(80), tracker: tr, gaze: look(tr, [[668, 1028, 900]], { frac: 0.1 }), u: [0, 'launch this'], expect: C('terminal', 'files') });
  }
  {
    const tr = T(1);
    add({ scene: dock(120), tracker: tr, gaze: look(tr, [c(dockRect(3, 120)).concat(800)]), u: [0, 'what is this?'], expect: X('inspect', 'vscode') });
  }

  // ---- D. desktop file icons ----
  {
    const tr = T(0.5);
    add({ scene: fileColumn(), tracker: tr, gaze: look(tr, [c(fileRect(1)).concat(800)]), u: [0, 'open this'], expect: X('open', 'photo') });
  }
  {
    const tr = T(2);
    add({ scene: fileColumn(), tracker: tr, gaze: look(tr, [[72, 222, 900]], { frac: 0.1 }), u: [0, 'open that file'], expect: C('photo', 'notes') });
  }
  {
    const tr = T(1);
    add({ scene: fileColumn(), tracker: tr, gaze: look(tr, [c(fileRect(2)).concat(900)], { frac: 0.2 }), u: [0, 'show me the details of this'], expect: X('inspect', 'notes') });
  }
  {
    const tr = T(0.5);
    const win = [300, 100, 1200, 800];
    const i1 = [400, 200, 64, 64];
    const i2 = [560, 200, 64, 64];
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('files-win', 'Files', 'linux', win, 1),
      file('invoice', 'invoice-0423.pdf', 'linux', i1, 2),
      file('contract', 'contract.odt', 'linux', i2, 2),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [c(i1).concat(900)]), u: [0, 'open this'], expect: X('open', 'invoice') });
  }
  {
    const tr = T(2);
    const win = [300, 100, 1200, 800];
    const i1 = [400, 200, 64, 64];
    const i2 = [560, 200, 64, 64];
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('files-win', 'Files', 'linux', win, 1),
      file('invoice', 'invoice-0423.pdf', 'linux', i1, 2),
      file('contract', 'contract.odt', 'linux', i2, 2),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [c(i1).concat(900)], { frac: 0.15 }), u: [0, 'open this file'], expect: X('open', 'invoice') });
  }

  // ---- E. VM desktops on screen ----
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [c(WIN).concat(900)]), u: [0, 'pause this one'], expect: X('pause', 'windows') });
  }
  {
    const tr = T(2);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[520, 380, 1000]]), u: [0, 'take a snapshot of this'], expect: X('snapshot', 'linux') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[961, 500, 900]], { frac: 0.1 }), u: [0, 'pause this one'], expect: C('linux', 'windows') });
  }
  {
    const tr = T(4);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[500, 400, 1200]]), u: [0, 'suspend that'], expect: X('suspend', 'linux') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[1300, 250, 900]]), u: [0, 'freeze this one'], expect: X('pause', 'windows') });
  }
  {
    const tr = T(0.5);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[1700, 650, 800]]), u: [0, 'shut this down'], expect: X('stop', 'windows') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[400, 600, 900]]), u: [0, 'turn off the network for this one'], expect: X('network_off', 'linux') });
  }
  {
    const tr = T(2);
    add({ scene: vmsOnScreen({ win: { power: 'paused' } }), tracker: tr, gaze: look(tr, [[1450, 420, 1000]]), u: [0, 'resume this'], expect: X('resume', 'windows') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[300, 200, 900]]), u: [0, 'how is this one doing?'], expect: X('status', 'linux') });
  }
  {
    const tr = T(4);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[975, 420, 1100]], { frac: 0.1 }), u: [0, 'snapshot this'], expect: C('linux', 'windows') });
  }
  {
    const tr = T(2);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[1010, 380, 900]], { frac: 0.1 }), u: [0, 'stop that one'], expect: C('linux', 'windows') });
  }

  // ---- F. gaze lands on the target late, after looking elsewhere ----
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[480, 400, 700], [1450, 420, 450]]), u: [0, 'close this'], expect: X('close', 'windows-desktop') });
  }
  {
    const tr = T(2);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[1400, 400, 800], [480, 380, 400]]), u: [0, 'pause this one'], expect: X('pause', 'linux') });
  }
  {
    const tr = T(0.5);
    add({
      scene: dock(120),
      tracker: tr,
      gaze: look(tr, [c(dockRect(0, 120)).concat(600), c(dockRect(2, 120)).concat(500)]),
      u: [0, 'launch this one'],
      expect: X('launch', 'firefox-app', { app: 'firefox-app' }),
    });
  }
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [[500, 400, 900], c(CALC).concat(400)]), u: [0, 'close this'], expect: X('close', 'calc') });
  }
  {
    const tr = T(0.5);
    add({ scene: fileColumn(), tracker: tr, gaze: look(tr, [c(fileRect(0)).concat(600), c(fileRect(3)).concat(400)]), u: [0, 'open this'], expect: X('open', 'budget') });
  }
  {
    const tr = T(4);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[300, 300, 1000], [1600, 500, 350]], { frac: 0.2 }), u: [0, 'hide this'], expect: X('hide', 'windows-desktop') });
  }
  {
    const tr = T(1);
    add({
      scene: sideBySide(),
      tracker: tr,
      gaze: look(tr, [[500, 300, 400], [1400, 500, 400], [600, 450, 500]]),
      u: [0, 'focus this'],
      expect: X('focus', 'linux-desktop'),
    });
  }
  {
    // gaze keeps resting on the target while the utterance starts
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[450, 500, 600], [1500, 300, 650]], { end: 250 }), u: [0, 'close that window'], expect: X('close', 'windows-desktop') });
  }
  {
    const tr = T(1);
    const s = vmsOnScreen({ extra: [app('terminal', 'Terminal', 'linux', [928, 1000, 64, 64], 5)] });
    add({ scene: s, tracker: tr, gaze: look(tr, [[960, 1032, 700], [1380, 420, 450]]), u: [0, 'snapshot this'], expect: X('snapshot', 'windows') });
  }

  // ---- G. noisy traces: blinks, off-screen samples, spikes, out-of-order delivery ----
  {
    const tr = T(1);
    const g = gap(look(tr, [[1420, 400, 1200]]), -700, -480);
    add({ scene: sideBySide(), tracker: tr, gaze: g, u: [0, 'close this'], expect: X('close', 'windows-desktop') });
  }
  {
    const tr = T(2);
    add({ scene: sideBySide(), tracker: tr, gaze: offscreen(r, look(tr, [[480, 420, 1000]]), 3), u: [0, 'hide this one'], expect: X('hide', 'linux-desktop') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: disorder(r, look(tr, [[1430, 400, 1000]]), 4), u: [0, 'pause this'], expect: X('pause', 'windows') });
  }
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: spikes(r, look(tr, [c(CALC).concat(1100)]), 3), u: [0, 'close this one'], expect: X('close', 'calc') });
  }
  {
    const tr = T(0.5);
    const g = offscreen(r, gap(look(tr, [c(dockRect(3, 120)).concat(1200)]), -800, -600), 2);
    add({ scene: dock(120), tracker: tr, gaze: g, u: [0, 'launch that'], expect: X('launch', 'vscode', { app: 'vscode' }) });
  }
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[490, 400, 1000]], { sd: 18 }), u: [0, 'open this'], expect: X('open', 'linux-desktop') });
  }
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[1430, 500, 1200]], { hz: 10 }), u: [0, 'close this'], expect: X('close', 'windows-desktop') });
  }
  {
    const tr = T(0.5);
    add({ scene: fileColumn(), tracker: tr, gaze: look(tr, [c(fileRect(0)).concat(700)], { hz: 60 }), u: [0, 'open this file'], expect: X('open', 'report') });
  }
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: look(tr, [[1350, 450, 900]]).reverse(), u: [0, 'hide this'], expect: X('hide', 'windows-desktop') });
  }
  {
    const tr = T(2);
    const g = gap(look(tr, [[500, 400, 1100]]), -800, -300);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: g, u: [0, 'pause this'], expect: X('pause', 'linux') });
  }
  {
    const tr = T(1);
    add({ scene: sideBySide(), tracker: tr, gaze: offscreen(r, look(tr, [[1500, 250, 1300]]), 6, [1920, 1080], 8), u: [0, 'focus that'], expect: X('focus', 'windows-desktop') });
  }
  {
    const tr = T(0.5);
    const g = disorder(r, spikes(r, look(tr, [c(fileRect(2)).concat(1000)]), 2), 3);
    add({ scene: fileColumn(), tracker: tr, gaze: g, u: [0, "what's this file?"], expect: X('inspect', 'notes') });
  }

  // ---- H. no gaze ----
  add({ scene: sideBySide(), gaze: [], u: 'close this', expect: C('linux-desktop', 'windows-desktop') });
  add({ scene: vmsOnScreen(), gaze: [], u: 'pause this one', expect: C('linux', 'windows') });
  add({ scene: dock(80, []), tracker: T(1), gaze: [], u: 'launch this', expect: C() });
  {
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('vscode-win', 'VS Code', 'linux', [300, 120, 1300, 820], 1),
    ]);
    add({ scene: s, gaze: [], u: 'close this window', expect: X('close', 'vscode-win') });
  }
  {
    const s = scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      file('memo', 'memo.docx', 'windows', [40, 40, 64, 64], 2),
      file('slides', 'pitch-deck.pptx', 'windows', [40, 140, 64, 64], 2),
    ]);
    add({ scene: s, gaze: [], u: 'open this file', expect: C('memo', 'slides') });
  }
  add({ scene: vmsOnScreen(), tracker: T(2), gaze: [], u: 'snapshot this', expect: C('linux', 'windows') });
  {
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('s-term', 'Terminal', 'linux', [60, 60, 800, 500], 1),
      surface('s-files', 'Files', 'linux', [900, 60, 800, 500], 1),
      surface('s-ff', 'Firefox', 'linux', [480, 580, 900, 460], 1),
    ]);
    add({ scene: s, gaze: [], u: 'focus this', expect: C('s-term', 's-files', 's-ff') });
  }

  // ---- I. gaze on the background, far from everything ----
  {
    const tr = T(1);
    const s = scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running' }),
      surface('linux-desktop', 'Linux desktop', 'linux', [100, 100, 600, 400], 1),
      surface('windows-desktop', 'Windows desktop', 'windows', [1200, 600, 600, 400], 1),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [[950, 300, 1000]]), u: [0, 'close this'], expect: C() });
  }
  {
    const tr = T(0.5);
    const s = scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('outlook', 'Outlook', 'windows', [100, 300, 900, 650], 1),
      file('q3', 'Q3 numbers.xlsx', 'windows', [1100, 900, 64, 64], 2),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [[1650, 180, 900]]), u: [0, 'open that'], expect: C() });
  }

  // ---- J. other screens and trackers ----
  {
    const tr = T(1, 50);
    const l = [80, 80, 1180, 1000];
    const w = [1300, 80, 1180, 1000];
    const s = scene(
      [
        vm('linux', 'Linux', 'linux', { power: 'running' }),
        vm('windows', 'Windows', 'windows', { power: 'running' }),
        surface('linux-desktop', 'Linux desktop', 'linux', l, 1),
        surface('windows-desktop', 'Windows desktop', 'windows', w, 1),
      ],
      [2560, 1440],
    );
    add({ scene: s, tracker: tr, gaze: look(tr, [c(w).concat(1000)]), u: [0, 'close this'], expect: X('close', 'windows-desktop') });
    const tr2 = T(1, 50);
    add({ scene: s, tracker: tr2, gaze: look(tr2, [[1280, 700, 1000]], { frac: 0.1 }), u: [0, 'close this'], expect: C('linux-desktop', 'windows-desktop') });
  }
  {
    const tr = T(0.5, 80);
    const icons = [0, 1, 2, 3].map((i) => [1600 + i * 160, 1990, 128, 128]);
    const ids = [['term4k', 'Terminal'], ['files4k', 'Files'], ['gimp', 'GIMP'], ['blender', 'Blender']];
    const s = scene(
      [
        vm('linux', 'Linux', 'linux', { power: 'running' }),
        surface('linux-desktop', 'Linux desktop', 'linux', [200, 100, 3400, 1800], 1),
        ...ids.map(([id, label], i) => app(id, label, 'linux', icons[i], 5)),
      ],
      [3840, 2160],
    );
    add({ scene: s, tracker: tr, gaze: look(tr, [c(icons[2]).concat(900)]), u: [0, 'launch this'], expect: X('launch', 'gimp', { app: 'gimp' }) });
  }
  {
    const tr = T(2, 30);
    const a = [20, 20, 650, 600];
    const b = [696, 20, 650, 600];
    const s = scene(
      [
        vm('windows', 'Windows', 'windows', { power: 'running' }),
        surface('edge-win', 'Microsoft Edge', 'windows', a, 1),
        surface('teams-win', 'Teams', 'windows', b, 1),
      ],
      [1366, 768],
    );
    add({ scene: s, tracker: tr, gaze: look(tr, [[683, 300, 900]], { frac: 0.1 }), u: [0, 'close this'], expect: C('edge-win', 'teams-win') });
    const tr2 = T(1, 30);
    add({ scene: s, tracker: tr2, gaze: look(tr2, [[1100, 350, 900]]), u: [0, 'hide this one'], expect: X('hide', 'teams-win') });
  }

  // ---- K. the noun narrows what gaze is near ----
  {
    const tr = T(1);
    const w = [200, 100, 1000, 700];
    const icon = [600, 830, 64, 64];
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('gedit', 'Text Editor', 'linux', w, 1),
      app('term-icon', 'Terminal', 'linux', icon, 5),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [[630, 814, 900]], { frac: 0.1 }), u: [0, 'close that window'], expect: X('close', 'gedit') });
  }
  {
    const tr = T(1);
    const a = [300, 980, 64, 64];
    const f = [380, 980, 64, 64];
    const s = scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      app('paint', 'Paint', 'windows', a, 5),
      file('sketch', 'sketch.png', 'windows', f, 5),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [[372, 1012, 900]], { frac: 0.1 }), u: [0, 'launch this app'], expect: X('launch', 'paint', { app: 'paint' }) });
    add({ scene: s, tracker: tr, gaze: look(tr, [[372, 1012, 900]], { frac: 0.1 }), u: [0, 'open this file'], expect: X('open', 'sketch') });
  }

  // ---- L. a few more ----
  {
    const tr = T(1);
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('s-term', 'Terminal', 'linux', [100, 100, 800, 600], 1),
      surface('s-ff', 'Firefox', 'linux', [1000, 100, 800, 600], 1),
      surface('s-files', 'Files', 'linux', undefined, undefined, { presented: false }),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [[450, 400, 900]]), u: [0, 'open that'], expect: X('open', 's-term') });
  }
  {
    const tr = T(2);
    const pop = [1500, 80, 220, 160];
    const s = scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('outlook', 'Outlook', 'windows', [60, 80, 1100, 900], 1),
      surface('reminder', 'Reminder', 'windows', pop, 3),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [[600, 500, 600], c(pop).concat(500)], { frac: 0.2 }), u: [0, 'hide this'], expect: X('hide', 'reminder') });
  }
  {
    const tr = T(0.5);
    add({ scene: dock(80), tracker: tr, gaze: look(tr, [c(dockRect(4, 80)).concat(900)]), u: [0, 'what does this one do'], expect: X('inspect', 'settings') });
  }
  {
    const tr = T(1);
    add({ scene: overlap(), tracker: tr, gaze: look(tr, [[400, 800, 900]]), u: [0, 'make this window smaller'], expect: X('resize', 'browser') });
  }
  {
    const tr = T(4);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[1500, 420, 1300]], { frac: 0.25 }), u: [0, 'pause that'], expect: X('pause', 'windows') });
  }
  return cases;
}
