// deictic: "this" / "that" resolved by where the person looked. Gaze traces come from make-gaze.mjs (seeded).
// Execute cases: the gaze rests well inside one target, far (> 2x the tracker's accuracy) from every other object.
// Clarify cases: two candidates lie within the tracker's accuracy of where the gaze rests, or there is no usable gaze
// and several candidates.
import { vm, surf, app, file, snap, ex, cl, sc, turn, ev } from './lib.mjs';

const T = (accuracyDeg, pxPerDeg) => ({ accuracyDeg, pxPerDeg });
let seed = 4100;
const d = (o) => sc({ seed: ++seed, ...o });

// Reused layouts (fresh objects each time).
const sideBySideSurfaces = () => [
  surf('ubuntu-desktop', 'Ubuntu desktop', 'linux', [80, 90, 820, 600], 1),
  surf('windows-desktop', 'Windows desktop', 'windows', [1000, 110, 840, 620], 1),
];
const sideBySideVms = (a = {}, b = {}) => [
  vm('ubuntu', 'Ubuntu', 'linux', a, [60, 60, 900, 640], 1),
  vm('windows', 'Windows', 'windows', b, [1000, 80, 880, 660], 1),
];
const overlapping = () => [
  surf('files-win', 'Files', 'linux', [150, 100, 1000, 700], 1),
  surf('editor-win', 'Text Editor', 'linux', [700, 300, 1000, 650], 2),
];

export default [
  // 1 plain: gaze on the left desktop
  d({
    objs: sideBySideSurfaces(), tracker: T(1.0, 40),
    look: { fixations: [[470, 380, 0, 900]], hz: 60, noisePx: 8, biasPx: 15 },
    t: 950, u: 'open this',
    expect: ex('open', 'ubuntu-desktop'),
  }),
  // 2 30 Hz, 2 deg tracker, a few stray samples
  d({
    objs: sideBySideVms(), tracker: T(2.0, 35),
    look: { fixations: [[1460, 420, 0, 1250]], hz: 30, noisePx: 15, biasPx: 30, outliers: 0.05 },
    t: 1200, u: 'hide that one',
    expect: ex('hide', 'windows'),
  }),
  // 3 120 Hz, very precise tracker
  d({
    objs: sideBySideVms(), tracker: T(0.5, 60),
    look: { fixations: [[500, 360, 0, 820]], hz: 120, noisePx: 5, biasPx: 10 },
    t: 800, u: 'pause this',
    expect: ex('pause', 'ubuntu'),
  }),
  // 4 a blink gap in the middle of the fixation
  d({
    objs: [surf('terminal-win', 'Terminal', 'linux', [200, 150, 700, 450], 2), surf('firefox-win', 'Firefox', 'linux', [1000, 100, 820, 800], 1)],
    tracker: T(1.5, 40),
    look: { fixations: [[540, 360, 0, 1050]], hz: 60, noisePx: 10, biasPx: 20, gaps: [[300, 550]] },
    t: 1000, u: 'close this window',
    expect: ex('close', 'terminal-win'),
  }),
  // 5 3 deg tracker on two big VM windows
  d({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [40, 100, 900, 700], 1), vm('work-vm', 'Work VM', 'linux', {}, [980, 100, 900, 700], 1)],
    tracker: T(3.0, 45),
    look: { fixations: [[1430, 450, 0, 1400]], hz: 50, noisePx: 25, biasPx: 60 },
    t: 1350, u: 'snapshot that',
    expect: ex('snapshot', 'work-vm'),
  }),
  // 6 overlap: gaze deep in the overlap region picks the window on top
  d({
    objs: overlapping(), tracker: T(1.0, 40),
    look: { fixations: [[1000, 600, -900, 50]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 0, u: 'open this',
    expect: ex('open', 'editor-win'),
  }),
  // 7 overlap: gaze on the visible part of the lower window
  d({
    objs: overlapping(), tracker: T(2.0, 40),
    look: { fixations: [[400, 480, 0, 1100]], hz: 60, noisePx: 14, biasPx: 30 },
    t: 1050, u: 'close this window',
    expect: ex('close', 'files-win'),
  }),
  // 8 gaze moves from the left desktop to the right one, then the utterance
  d({
    objs: sideBySideSurfaces(), tracker: T(1.0, 40),
    look: { fixations: [[450, 400, 0, 1000], [1400, 450, 1120, 2600]], hz: 90, noisePx: 8, biasPx: 14 },
    t: 2500, u: 'hide this',
    expect: ex('hide', 'windows-desktop'),
  }),
  // 9 gaze moves from Windows to Ubuntu before "pause this one"
  d({
    objs: sideBySideVms(), tracker: T(1.5, 50),
    look: { fixations: [[1450, 400, 0, 900], [480, 420, 1000, 2300]], hz: 60, noisePx: 12, biasPx: 25 },
    t: 2200, u: 'pause this one',
    expect: ex('pause', 'ubuntu'),
  }),
  // 10 dock icons (64 px, well spaced), precise tracker
  d({
    objs: [vm('linux', 'Linux', 'linux', {}, [200, 60, 1500, 860], 1),
      app('firefox', 'Firefox', 'linux', [640, 990, 64, 64]), app('terminal', 'Terminal', 'linux', [800, 990, 64, 64]),
      app('vscode', 'VS Code', 'linux', [960, 990, 64, 64]), app('files', 'Files', 'linux', [1120, 990, 64, 64])],
    tracker: T(0.5, 60),
    look: { fixations: [[992, 1022, 0, 900]], hz: 120, noisePx: 5, biasPx: 9 },
    t: 880, u: 'launch this',
    expect: ex('launch', 'vscode', { app: 'vscode' }),
  }),
  // 11 a column of 56 px file icons, precise tracker
  d({
    objs: [surf('firefox-win', 'Firefox', 'linux', [100, 100, 1400, 800], 1),
      file('report', 'report.pdf', 'linux', [1800, 200, 56, 56]), file('photo', 'beach.jpg', 'linux', [1800, 320, 56, 56]),
      file('notes', 'notes.txt', 'linux', [1800, 440, 56, 56]), file('slides', 'pitch.pptx', 'linux', [1800, 560, 56, 56])],
    tracker: T(0.5, 50),
    look: { fixations: [[1828, 468, 0, 700]], hz: 60, noisePx: 4, biasPx: 8 },
    t: 650, u: 'open this',
    expect: ex('open', 'notes'),
  }),
  // 12 snapshot thumbnails strip
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [300, 60, 1320, 740], 1),
      snap('snap-a', 'Ubuntu · Mon 09:00', 'linux', [300, 860, 240, 135]), snap('snap-b', 'Ubuntu · Tue 09:00', 'linux', [600, 860, 240, 135]),
      snap('snap-c', 'Ubuntu · Wed 09:00', 'linux', [900, 860, 240, 135]), snap('snap-d', 'Ubuntu · Thu 09:00', 'linux', [1200, 860, 240, 135])],
    tracker: T(1.0, 40),
    look: { fixations: [[1020, 927, 0, 1000]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 950, u: 'restore this one',
    expect: ex('restore', 'snap-c'),
  }),
  // 13 CLARIFY: two 48 px dock icons 8 px apart, 2 deg tracker (80 px)
  d({
    objs: [app('firefox', 'Firefox', 'linux', [600, 1016, 48, 48]), app('terminal', 'Terminal', 'linux', [900, 1016, 48, 48]),
      app('gedit', 'Text Editor', 'linux', [956, 1016, 48, 48]), app('files', 'Files', 'linux', [1250, 1016, 48, 48])],
    tracker: T(2.0, 40),
    look: { fixations: [[924, 1040, 0, 1000]], hz: 60, noisePx: 10, biasPx: 6 },
    t: 950, u: 'launch this',
    expect: cl('terminal', 'gedit'),
  }),
  // 14 CLARIFY: split screen, gaze rests on the seam, 3 deg tracker
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [0, 0, 960, 1080], 1), vm('windows', 'Windows', 'windows', {}, [960, 0, 960, 1080], 1)],
    tracker: T(3.0, 40),
    look: { fixations: [[962, 540, 0, 1200]], hz: 60, noisePx: 18, biasPx: 5 },
    t: 1150, u: 'pause this',
    expect: cl('ubuntu', 'windows'),
  }),
  // 15 CLARIFY: no gaze, two windows
  d({
    objs: [surf('terminal-win', 'Terminal', 'linux', [100, 100, 800, 500], 1), surf('files-win', 'Files', 'linux', [1000, 300, 800, 600], 1)],
    gaze: [], t: 0, u: 'close this window',
    expect: cl('terminal-win', 'files-win'),
  }),
  // 16 CLARIFY: every sample is off the screen (looking at the keyboard), two VM windows
  d({
    objs: sideBySideVms(), tracker: T(1.0, 40),
    look: { fixations: [[900, 1200, 0, 1000]], hz: 60, noisePx: 10, offscreenSpans: [[0, 1000]] },
    t: 950, u: 'hide this',
    expect: cl('ubuntu', 'windows'),
  }),
  // 17 CLARIFY: gaze rests on empty background between two windows
  d({
    objs: [surf('calc-win', 'Calculator', 'windows', [100, 100, 600, 400], 1), surf('paint-win', 'Paint', 'windows', [1200, 500, 600, 400], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[900, 850, 0, 1100]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 1000, u: 'close this window',
    expect: cl('calc-win', 'paint-win'),
  }),
  // 18 2560x1440, three windows, gaze on the one at the bottom
  d({
    screen: [2560, 1440],
    objs: [vm('windows', 'Windows', 'windows', {}, [100, 100, 1100, 800], 1), surf('terminal-win', 'Terminal', 'linux', [1300, 150, 1100, 700], 1),
      surf('files-win', 'Files', 'linux', [700, 960, 900, 420], 2)],
    tracker: T(1.2, 55),
    look: { fixations: [[1150, 1180, 0, 1300]], hz: 60, noisePx: 12, biasPx: 25 },
    t: 1250, u: 'hide this',
    expect: ex('hide', 'files-win'),
  }),
  // 19 1366x768 laptop, split screen, gaze in the middle of the right half
  d({
    screen: [1366, 768],
    objs: [surf('firefox-win', 'Firefox', 'linux', [0, 0, 683, 740], 1), surf('terminal-win', 'Terminal', 'linux', [683, 0, 683, 740], 1)],
    tracker: T(2.0, 30),
    look: { fixations: [[1020, 380, 0, 1000]], hz: 30, noisePx: 12, biasPx: 20 },
    t: 980, u: 'close this window',
    expect: ex('close', 'terminal-win'),
  }),
  // 20 4K screen, two VM windows
  d({
    screen: [3840, 2160],
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [100, 100, 1800, 1100], 1), vm('ubuntu', 'Ubuntu', 'linux', {}, [2000, 400, 1700, 1100], 1)],
    tracker: T(0.8, 60),
    look: { fixations: [[1000, 650, 0, 900]], hz: 120, noisePx: 10, biasPx: 20 },
    t: 880, u: 'snapshot this',
    expect: ex('snapshot', 'gaming-pc'),
  }),
  // 21 10 Hz tracker, few samples
  d({
    objs: sideBySideSurfaces(), tracker: T(1.0, 40),
    look: { fixations: [[1430, 380, 0, 1500]], hz: 10, noisePx: 9, biasPx: 15 },
    t: 1400, u: 'open that',
    expect: ex('open', 'windows-desktop'),
  }),
  // 22 samples delivered completely out of order
  d({
    objs: sideBySideVms(), tracker: T(1.0, 40),
    look: { fixations: [[1400, 420, 0, 1000]], hz: 60, noisePx: 9, biasPx: 15, shuffle: 1 },
    t: 1000, u: 'pause this',
    expect: ex('pause', 'windows'),
  }),
  // 23 gaze shift, samples out of order: the later fixation still wins
  d({
    objs: sideBySideSurfaces(), tracker: T(1.0, 40),
    look: { fixations: [[1420, 420, 0, 900], [500, 380, 1000, 2200]], hz: 60, noisePx: 9, biasPx: 12, shuffle: 1 },
    t: 2150, u: 'hide this',
    expect: ex('hide', 'ubuntu-desktop'),
  }),
  // 24 4 deg tracker, 10% stray samples, two big halves of the screen
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [0, 0, 940, 1080], 1), vm('windows', 'Windows', 'windows', {}, [980, 0, 940, 1080], 1)],
    tracker: T(4.0, 30),
    look: { fixations: [[460, 540, 0, 1500]], hz: 60, noisePx: 30, biasPx: 60, outliers: 0.1 },
    t: 1450, u: 'hide that one',
    expect: ex('hide', 'ubuntu'),
  }),
  // 25 15% of samples off the screen
  d({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [60, 80, 860, 620], 1), vm('work-vm', 'Work VM', 'linux', {}, [1000, 380, 860, 620], 1)],
    tracker: T(1.5, 40),
    look: { fixations: [[1430, 690, 0, 1200]], hz: 60, noisePx: 12, biasPx: 20, offscreen: 0.15 },
    t: 1150, u: 'snapshot that',
    expect: ex('snapshot', 'work-vm'),
  }),
  // 26 the last turn named Ubuntu, but the person looks at Windows and says "this"
  d({
    objs: sideBySideVms(), tracker: T(1.0, 40),
    history: [turn(-6000, 'show me ubuntu', 'present', 'ubuntu')],
    look: { fixations: [[1440, 400, -1000, 60]], hz: 60, noisePx: 8, biasPx: 15 },
    t: 0, u: 'pause this',
    expect: ex('pause', 'windows'),
  }),
  // 27 small calculator window on top of a big desktop
  d({
    objs: [vm('windows', 'Windows', 'windows', {}, [100, 60, 1600, 950], 1), surf('calc-win', 'Calculator', 'windows', [700, 300, 320, 480], 2)],
    tracker: T(1.0, 40),
    look: { fixations: [[860, 540, 0, 900]], hz: 60, noisePx: 8, biasPx: 14 },
    t: 860, u: 'close this window',
    expect: ex('close', 'calc-win'),
  }),
  // 28 details of a snapshot thumbnail
  d({
    objs: [snap('snap-mon', 'Windows · Monday', 'windows', [200, 800, 320, 180]), snap('snap-wed', 'Windows · Wednesday', 'windows', [700, 800, 320, 180]),
      snap('snap-fri', 'Windows · Friday', 'windows', [1200, 800, 320, 180]), vm('windows', 'Windows', 'windows', {}, [200, 40, 1320, 700], 1)],
    tracker: T(1.0, 45),
    look: { fixations: [[360, 890, 0, 1100]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 1050, u: 'show me details on this one',
    expect: ex('inspect', 'snap-mon'),
  }),
  // 29 bring a partly covered window to the front by looking at its visible part
  d({
    objs: [surf('mail-win', 'Thunderbird', 'linux', [100, 100, 1000, 700], 1), surf('browser-win', 'Firefox', 'linux', [600, 300, 1100, 700], 2)],
    tracker: T(1.5, 40),
    look: { fixations: [[330, 400, 0, 1000]], hz: 60, noisePx: 10, biasPx: 18 },
    t: 950, u: 'bring this to the front',
    expect: ex('focus', 'mail-win'),
  }),
  // 30 resize
  d({
    objs: [surf('terminal-win', 'Terminal', 'linux', [1100, 600, 640, 360], 2), surf('editor-win', 'Text Editor', 'linux', [100, 80, 900, 700], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[1420, 780, 0, 800]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 800, u: 'make this bigger',
    expect: ex('resize', 'terminal-win'),
  }),
  // 31 status of the VM looked at
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }, [60, 60, 900, 640], 1), vm('windows', 'Windows', 'windows', {}, [1000, 80, 880, 660], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[500, 380, 0, 900]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 900, u: 'is this one still running?',
    expect: ex('status', 'ubuntu'),
  }),
  // 32 network off for the VM looked at
  d({
    objs: sideBySideVms(), tracker: T(2.0, 40),
    look: { fixations: [[1420, 430, 0, 1200]], hz: 30, noisePx: 15, biasPx: 30 },
    t: 1200, u: 'turn off the network for this one',
    expect: ex('network_off', 'windows'),
  }),
  // 33 resume a paused VM on screen
  d({
    objs: sideBySideVms({ power: 'paused' }, { power: 'paused' }), tracker: T(1.0, 50),
    look: { fixations: [[520, 400, 0, 1000]], hz: 60, noisePx: 9, biasPx: 15 },
    t: 1000, u: 'resume this',
    expect: ex('resume', 'ubuntu'),
  }),
  // 34 stop
  d({
    objs: [vm('work-vm', 'Work VM', 'linux', {}, [60, 60, 900, 640], 1), vm('gaming-pc', 'Gaming PC', 'windows', {}, [1000, 80, 880, 660], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[1450, 380, 0, 1000]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 1000, u: 'shut this vm down',
    expect: ex('stop', 'gaming-pc'),
  }),
  // 35 suspend, 50 Hz with a gap
  d({
    objs: sideBySideVms(), tracker: T(1.0, 40),
    look: { fixations: [[440, 300, 0, 1300]], hz: 50, noisePx: 8, biasPx: 12, gaps: [[600, 900]] },
    t: 1300, u: 'suspend that',
    expect: ex('suspend', 'ubuntu'),
  }),
  // 36 open a file icon, 15 Hz with a gap
  d({
    objs: [file('invoice', 'invoice-0412.pdf', 'windows', [1700, 150, 64, 64]), file('contract', 'contract.docx', 'windows', [1700, 330, 64, 64]),
      file('budget', 'budget.xlsx', 'windows', [1700, 510, 64, 64]), vm('windows', 'Windows', 'windows', {}, [80, 80, 1400, 880], 1)],
    tracker: T(0.8, 40),
    look: { fixations: [[1732, 362, 0, 1400]], hz: 15, noisePx: 5, biasPx: 8, gaps: [[500, 800]] },
    t: 1400, u: 'open that file',
    expect: ex('open', 'contract'),
  }),
  // 37 dock: gaze moves from one icon to another before "launch this"
  d({
    objs: [app('firefox', 'Firefox', 'linux', [560, 1000, 64, 64]), app('terminal', 'Terminal', 'linux', [760, 1000, 64, 64]),
      app('gimp', 'GIMP', 'linux', [960, 1000, 64, 64]), app('files', 'Files', 'linux', [1160, 1000, 64, 64])],
    tracker: T(0.8, 40),
    look: { fixations: [[592, 1032, 0, 900], [792, 1032, 1000, 2200]], hz: 60, noisePx: 5, biasPx: 8 },
    t: 2100, u: 'launch this',
    expect: ex('launch', 'terminal', { app: 'terminal' }),
  }),
  // 38 snapshot thumbnails, out of order samples
  d({
    objs: [snap('snap-1', 'Gaming PC · before driver update', 'windows', [400, 820, 260, 146]), snap('snap-2', 'Gaming PC · after driver update', 'windows', [800, 820, 260, 146]),
      snap('snap-3', 'Gaming PC · today', 'windows', [1200, 820, 260, 146]), vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' })],
    tracker: T(1.0, 40),
    look: { fixations: [[530, 893, 0, 1000]], hz: 60, noisePx: 8, biasPx: 12, shuffle: 0.3 },
    t: 1000, u: 'restore that snapshot',
    expect: ex('restore', 'snap-1'),
  }),
  // 39 CLARIFY: two small overlapping windows, gaze at the corner where they meet
  d({
    objs: [surf('calc-win', 'Calculator', 'windows', [800, 400, 300, 200], 1), surf('notepad-win', 'Notepad', 'windows', [1000, 500, 300, 200], 2),
      vm('linux', 'Linux', 'linux', {}, [60, 700, 500, 320], 1)],
    tracker: T(1.5, 40),
    look: { fixations: [[1008, 508, 0, 1000]], hz: 60, noisePx: 8, biasPx: 4 },
    t: 950, u: 'close this window',
    expect: cl('calc-win', 'notepad-win'),
  }),
  // 40 CLARIFY: two 56 px file icons 10 px apart, 1.5 deg at 50 px/deg (75 px)
  d({
    objs: [file('cv', 'cv.pdf', 'linux', [1760, 300, 56, 56]), file('cover', 'cover-letter.pdf', 'linux', [1760, 366, 56, 56]),
      file('photo', 'passport.jpg', 'linux', [1760, 700, 56, 56]), surf('files-win', 'Files', 'linux', [100, 100, 1300, 800], 1)],
    tracker: T(1.5, 50),
    look: { fixations: [[1788, 330, 0, 900]], hz: 60, noisePx: 8, biasPx: 6 },
    t: 900, u: 'open this',
    expect: cl('cv', 'cover'),
  }),
  // 41 CLARIFY: two small snapshot thumbnails 10 px apart, 2.5 deg tracker (100 px)
  d({
    objs: [snap('snap-am', 'Ubuntu · 08:00', 'linux', [600, 950, 80, 45]), snap('snap-pm', 'Ubuntu · 17:00', 'linux', [690, 950, 80, 45]),
      snap('snap-old', 'Ubuntu · last month', 'linux', [1300, 950, 80, 45]), vm('ubuntu', 'Ubuntu', 'linux', {}, [200, 40, 1500, 700], 1)],
    tracker: T(2.5, 40),
    look: { fixations: [[640, 972, 0, 1000]], hz: 60, noisePx: 12, biasPx: 8 },
    t: 1000, u: 'restore this',
    expect: cl('snap-am', 'snap-pm'),
  }),
  // 42 CLARIFY: no gaze, two running VMs on screen
  d({
    objs: sideBySideVms(), gaze: [], t: 0, u: 'pause this',
    expect: cl('ubuntu', 'windows'),
  }),
  // 43 CLARIFY: no gaze, two VMs on screen
  d({
    objs: [vm('gaming-pc', 'Gaming PC', 'windows', {}, [40, 100, 900, 700], 1), vm('work-vm', 'Work VM', 'linux', {}, [980, 100, 900, 700], 1)],
    gaze: [], t: 0, u: 'snapshot that',
    expect: cl('gaming-pc', 'work-vm'),
  }),
  // 44 CLARIFY: gaze leaves one window and comes to rest on the seam of two others
  d({
    objs: [surf('term-a', 'Terminal — ubuntu', 'linux', [0, 0, 960, 700], 1), surf('term-b', 'Terminal — work vm', 'linux', [960, 0, 960, 700], 1),
      surf('mail-win', 'Thunderbird', 'linux', [500, 760, 900, 320], 1)],
    tracker: T(3.0, 40),
    look: { fixations: [[950, 920, 0, 800], [958, 350, 900, 2000]], hz: 60, noisePx: 15, biasPx: 6 },
    t: 1950, u: 'close this window',
    expect: cl('term-a', 'term-b'),
  }),
  // 45 CLARIFY: gaze moves along the dock and rests between two close icons
  d({
    objs: [app('firefox', 'Firefox', 'linux', [500, 1010, 56, 56]), app('thunderbird', 'Thunderbird', 'linux', [1000, 1010, 56, 56]),
      app('gimp', 'GIMP', 'linux', [1064, 1010, 56, 56])],
    tracker: T(2.0, 40),
    look: { fixations: [[528, 1038, 0, 700], [1060, 1038, 850, 1900]], hz: 60, noisePx: 10, biasPx: 5 },
    t: 1850, u: 'launch that',
    expect: cl('thunderbird', 'gimp'),
  }),
  // 46 CLARIFY: 4 deg tracker, gaze near the gap between two medium windows
  d({
    objs: [surf('paint-win', 'Paint', 'windows', [300, 300, 400, 300], 1), surf('calc-win', 'Calculator', 'windows', [780, 300, 400, 300], 1)],
    tracker: T(4.0, 50),
    look: { fixations: [[690, 450, 0, 1200]], hz: 60, noisePx: 25, biasPx: 10 },
    t: 1200, u: 'hide that one',
    expect: cl('paint-win', 'calc-win'),
  }),
  // 47 CLARIFY: no gaze, three windows
  d({
    objs: [surf('firefox-win', 'Firefox', 'linux', [50, 50, 600, 500], 1), surf('terminal-win', 'Terminal', 'linux', [700, 50, 600, 500], 1),
      surf('files-win', 'Files', 'linux', [400, 580, 800, 450], 1)],
    gaze: [], t: 0, u: 'hide this',
    expect: cl('firefox-win', 'terminal-win', 'files-win'),
  }),
  // 48 overlap, 2 deg tracker at 60 px/deg, gaze in the top window well away from the lower one
  d({
    objs: [vm('windows', 'Windows', 'windows', {}, [60, 60, 1300, 800], 1), surf('ubuntu-desktop', 'Ubuntu desktop', 'linux', [760, 360, 1100, 680], 2)],
    tracker: T(2.0, 60),
    look: { fixations: [[1400, 760, 0, 1300]], hz: 60, noisePx: 18, biasPx: 40 },
    t: 1250, u: 'snapshot this',
    expect: ex('snapshot', 'ubuntu-desktop'),
  }),
  // 49 three stacked windows, gaze on the middle one's visible strip
  d({
    objs: [surf('w1', 'Files', 'linux', [100, 100, 1200, 800], 1), surf('w2', 'Terminal', 'linux', [300, 250, 1200, 780], 2),
      surf('w3', 'Firefox', 'linux', [700, 520, 1150, 540], 3)],
    tracker: T(1.0, 40),
    look: { fixations: [[480, 380, 0, 1000]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 1000, u: 'close this window',
    expect: ex('close', 'w2'),
  }),
  // 50 three stacked windows, gaze on the top one
  d({
    objs: [surf('w1', 'Files', 'linux', [100, 100, 1200, 800], 1), surf('w2', 'Terminal', 'linux', [300, 250, 1200, 780], 2),
      surf('w3', 'Firefox', 'linux', [700, 520, 1150, 540], 3)],
    tracker: T(1.5, 40),
    look: { fixations: [[1250, 800, -1200, 100]], hz: 90, noisePx: 10, biasPx: 20 },
    t: 0, u: 'hide this',
    expect: ex('hide', 'w3'),
  }),
  // 51 three stacked windows, gaze on the bottom one's visible corner
  d({
    objs: [surf('w1', 'Files', 'linux', [100, 100, 1200, 800], 1), surf('w2', 'Terminal', 'linux', [300, 250, 1200, 780], 2),
      surf('w3', 'Firefox', 'linux', [700, 520, 1150, 540], 3)],
    tracker: T(0.8, 40),
    look: { fixations: [[200, 160, 0, 900]], hz: 60, noisePx: 6, biasPx: 8 },
    t: 900, u: 'bring that to the front',
    expect: ex('focus', 'w1'),
  }),
  // 52 gaze sweeps across three windows, rests on the last
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [40, 40, 600, 480], 1), vm('windows', 'Windows', 'windows', {}, [680, 40, 600, 480], 1),
      vm('gaming-pc', 'Gaming PC', 'windows', {}, [1320, 40, 560, 480], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[340, 280, 0, 500], [980, 280, 600, 1100], [1600, 280, 1200, 2500]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 2450, u: 'pause this',
    expect: ex('pause', 'gaming-pc'),
  }),
  // 53 gaze sweeps across three windows, rests on the middle one
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [40, 40, 600, 480], 1), vm('windows', 'Windows', 'windows', {}, [680, 40, 600, 480], 1),
      vm('gaming-pc', 'Gaming PC', 'windows', {}, [1320, 40, 560, 480], 1)],
    tracker: T(0.7, 40),
    look: { fixations: [[1600, 280, 0, 600], [340, 280, 700, 1200], [980, 280, 1300, 2600]], hz: 120, noisePx: 6, biasPx: 8 },
    t: 2500, u: 'snapshot this one',
    expect: ex('snapshot', 'windows'),
  }),
  // 54 laptop screen, icons 48 px well spaced, 0.5 deg at 30 px/deg
  d({
    screen: [1366, 768],
    objs: [app('firefox', 'Firefox', 'linux', [400, 710, 48, 48]), app('terminal', 'Terminal', 'linux', [560, 710, 48, 48]),
      app('files', 'Files', 'linux', [720, 710, 48, 48]), surf('editor-win', 'Text Editor', 'linux', [100, 40, 1100, 600], 1)],
    tracker: T(0.5, 30),
    look: { fixations: [[744, 734, 0, 900]], hz: 60, noisePx: 4, biasPx: 5 },
    t: 900, u: 'launch this one',
    expect: ex('launch', 'files', { app: 'files' }),
  }),
  // 55 "open this" on a big window: 3.5 deg tracker, stray samples and a long gap
  d({
    objs: [surf('spreadsheet-win', 'LibreOffice Calc', 'linux', [60, 60, 1100, 900], 1), surf('chat-win', 'Element', 'linux', [1300, 100, 560, 860], 1)],
    tracker: T(3.5, 35),
    look: { fixations: [[600, 500, 0, 1600]], hz: 60, noisePx: 25, biasPx: 50, outliers: 0.08, gaps: [[400, 900]] },
    t: 1600, u: 'open this',
    expect: ex('open', 'spreadsheet-win'),
  }),
  // 56 status of the VM looked at; gaze continues past the utterance
  d({
    objs: [vm('work-vm', 'Work VM', 'linux', {}, [100, 120, 800, 600], 1), vm('home-vm', 'Home', 'windows', {}, [1020, 120, 800, 600], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[1420, 420, -800, 600]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 0, u: "what's the status of this one?",
    expect: ex('status', 'home-vm'),
  }),
  // 57 move a window
  d({
    objs: [surf('vlc-win', 'VLC', 'linux', [1200, 100, 640, 400], 2), surf('files-win', 'Files', 'linux', [100, 300, 900, 600], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[1520, 300, 0, 900]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 900, u: 'move this to the left',
    expect: ex('move', 'vlc-win'),
  }),
  // 58 hide a VM window, gaze starts on an icon then settles on the window
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [300, 80, 1300, 780], 1), app('terminal', 'Terminal', 'linux', [930, 1000, 64, 64])],
    tracker: T(1.0, 40),
    look: { fixations: [[962, 1032, 0, 600], [950, 450, 720, 1900]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 1850, u: 'hide this',
    expect: ex('hide', 'ubuntu'),
  }),
  // 59 "close that window" with gaze that jitters a lot but stays inside a big window
  d({
    objs: [surf('firefox-win', 'Firefox', 'windows', [60, 60, 1100, 960], 1), surf('teams-win', 'Teams', 'windows', [1260, 60, 600, 960], 1)],
    tracker: T(2.5, 40),
    look: { fixations: [[560, 540, 0, 1400]], hz: 40, noisePx: 40, biasPx: 40 },
    t: 1350, u: 'close that window',
    expect: ex('close', 'firefox-win'),
  }),
  // 60 snapshot of the VM looked at; history mentions the other VM
  d({
    objs: [...sideBySideVms(), snap('snap-w1', 'Windows · today', 'windows')], tracker: T(1.0, 40),
    history: [turn(-20000, 'take a snapshot of windows', 'snapshot', 'windows'), ev(-19000, 'snapshot.taken', 'snap-w1')],
    look: { fixations: [[480, 360, 0, 1000]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 1000, u: 'now snapshot this one',
    expect: ex('snapshot', 'ubuntu'),
  }),
  // 61 CLARIFY: gaze off to the side of the screen the whole time, two windows
  d({
    objs: [surf('terminal-win', 'Terminal', 'linux', [200, 200, 700, 500], 1), surf('browser-win', 'Firefox', 'linux', [1000, 200, 700, 500], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[2300, 500, 0, 1000]], hz: 60, noisePx: 10, offscreenSpans: [[0, 1000]] },
    t: 1000, u: 'close this window',
    expect: cl('terminal-win', 'browser-win'),
  }),
  // 62 CLARIFY: no gaze, two files on screen
  d({
    objs: [file('draft', 'draft.docx', 'windows', [1700, 200, 64, 64]), file('final', 'final.docx', 'windows', [1700, 400, 64, 64])],
    gaze: [], t: 0, u: 'open this file',
    expect: cl('draft', 'final'),
  }),
  // 63 CLARIFY: two 64 px icons 12 px apart, 2 deg at 45 px/deg (90 px), samples out of order
  d({
    objs: [app('steam', 'Steam', 'windows', [1300, 990, 64, 64]), app('discord', 'Discord', 'windows', [1376, 990, 64, 64]),
      vm('gaming-pc', 'Gaming PC', 'windows', {}, [100, 60, 1000, 700], 1)],
    tracker: T(2.0, 45),
    look: { fixations: [[1334, 1020, 0, 1000]], hz: 60, noisePx: 10, biasPx: 6, shuffle: 1 },
    t: 1000, u: 'launch this',
    expect: cl('steam', 'discord'),
  }),
  // 64 CLARIFY: two VM windows touching, gaze on the boundary, 2 deg at 40 px/deg
  d({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', {}, [100, 100, 860, 700], 1), vm('fedora', 'Fedora', 'linux', {}, [960, 100, 860, 700], 1)],
    tracker: T(2.0, 40),
    look: { fixations: [[955, 420, 0, 1300]], hz: 30, noisePx: 12, biasPx: 4 },
    t: 1250, u: 'suspend this one',
    expect: cl('ubuntu', 'fedora'),
  }),
  // 65 a 48 px icon alone in a corner, 1 deg at 60 px/deg
  d({
    objs: [snap('snap-x', 'Work VM · before migration', 'linux', [1840, 20, 48, 48]), vm('work-vm', 'Work VM', 'linux', {}, [100, 200, 1400, 800], 1)],
    tracker: T(1.0, 60),
    look: { fixations: [[1864, 44, 0, 900]], hz: 60, noisePx: 8, biasPx: 10 },
    t: 900, u: 'restore that',
    expect: ex('restore', 'snap-x'),
  }),
  // 66 close a window, gaze with a large gap just before the utterance but resting on the same window on both sides
  d({
    objs: [surf('zoom-win', 'Zoom', 'windows', [1100, 500, 700, 500], 1), surf('word-win', 'Word', 'windows', [100, 80, 900, 700], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[1450, 750, 0, 1600]], hz: 60, noisePx: 8, biasPx: 12, gaps: [[900, 1300]] },
    t: 1600, u: 'close this window',
    expect: ex('close', 'zoom-win'),
  }),
  // 67 "pause that" with a 1.5 deg tracker at 30 px/deg, 20 Hz
  d({
    objs: sideBySideVms(), tracker: T(1.5, 30),
    look: { fixations: [[1450, 450, 0, 1500]], hz: 20, noisePx: 10, biasPx: 15 },
    t: 1500, u: 'pause that',
    expect: ex('pause', 'windows'),
  }),
  // 68 CLARIFY: no gaze, two paused VMs on screen
  d({
    objs: sideBySideVms({ power: 'paused' }, { power: 'paused' }), gaze: [], t: 0, u: 'resume this one',
    expect: cl('ubuntu', 'windows'),
  }),
  // 69 hide a surface while the same subsystem's VM is off screen
  d({
    objs: [surf('ubuntu-desktop', 'Ubuntu desktop', 'linux', [500, 150, 1000, 700], 1), vm('ubuntu', 'Ubuntu', 'linux', { presented: undefined }),
      app('terminal', 'Terminal', 'linux', [60, 980, 64, 64])],
    tracker: T(1.0, 40),
    look: { fixations: [[1000, 500, 0, 1000]], hz: 60, noisePx: 8, biasPx: 12 },
    t: 1000, u: 'hide this',
    expect: ex('hide', 'ubuntu-desktop'),
  }),
  // 70 CLARIFY: seam between two windows, 1 deg at 40 px/deg, gaze right on the 4 px gap
  d({
    objs: [surf('left-win', 'Files', 'linux', [200, 200, 700, 600], 1), surf('right-win', 'Image Viewer', 'linux', [904, 200, 700, 600], 1)],
    tracker: T(1.0, 40),
    look: { fixations: [[902, 500, 0, 1000]], hz: 120, noisePx: 5, biasPx: 2 },
    t: 1000, u: 'close this window',
    expect: cl('left-win', 'right-win'),
  }),
];
