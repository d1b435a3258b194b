// temporal: references to what just happened. README conventions: "do that again" / "repeat" / "one more time" →
// replay on the last target; "bring it back" / "show me that again" after a hide → present, after a pause → resume;
// after a close, "take another look" → clarify between restore and inspect; "why did that happen" → explain the
// event's target. "undo" is not an action and is left out.
export default function temporal({ vm, surface, app, file, snapshot, scene, X, C }) {
  const turn = (t, text, action, target, slots) => ({ t, text, resolved: slots ? { action, target, slots } : { action, target } });
  const ev = (t, event, target) => ({ t, event, target });
  const desk = ({ lin = {}, win = {}, linLabel = 'Linux', winLabel = 'Windows', extra = [] } = {}) =>
    scene([
      vm('linux', linLabel, 'linux', { power: 'running', presented: false, network: 'on', ...lin }),
      vm('windows', winLabel, 'windows', { power: 'running', presented: false, network: 'on', ...win }),
      ...extra,
    ]);
  const on = (id, label, sub, rect, z = 1) => surface(id, label, sub, rect, z, { presented: true });
  const off = (id, label, sub) => surface(id, label, sub, undefined, undefined, { presented: false });
  const linApps = () => [app('terminal', 'Terminal', 'linux'), app('firefox', 'Firefox', 'linux'), app('files', 'Files', 'linux')];
  const winApps = () => [app('notepad', 'Notepad', 'windows'), app('excel', 'Excel', 'windows')];
  const winSnaps = () => [snapshot('snap-clean', 'clean install', 'windows'), snapshot('snap-pre', 'pre-upgrade', 'windows')];
  const cases = [];
  const add = (o) => cases.push(o);

  // ---- replay ----
  add({
    scene: desk({ extra: [snapshot('snap-1', 'Linux 09:14', 'linux')] }),
    history: [turn(-8000, 'take a snapshot of linux', 'snapshot', 'linux'), ev(-7000, 'snapshot.taken', 'snap-1')],
    u: 'do that again',
    expect: X('replay', 'linux'),
  });
  add({
    scene: desk({ extra: [...linApps(), on('term-1', 'Terminal', 'linux', [200, 150, 800, 500])] }),
    history: [turn(-5000, 'launch the terminal on linux', 'launch', 'terminal', { app: 'terminal' }), ev(-4000, 'surface.presented', 'term-1')],
    u: 'repeat that',
    expect: X('replay', 'terminal'),
  });
  add({
    scene: desk(),
    history: [turn(-9000, 'search windows for invoices', 'search', 'windows', { query: 'invoices' })],
    u: 'one more time',
    expect: X('replay', 'windows'),
  });
  add({
    scene: desk({ extra: winSnaps() }),
    history: [turn(-30000, 'restore the clean install snapshot', 'restore', 'snap-clean')],
    u: 'do it again',
    expect: X('replay', 'snap-clean'),
  });
  add({
    scene: desk(),
    history: [turn(-4000, 'inspect the windows vm', 'inspect', 'windows')],
    u: 'again please',
    expect: X('replay', 'windows'),
  });
  add({
    scene: desk({ extra: winApps() }),
    history: [turn(-60000, 'snapshot windows', 'snapshot', 'windows'), turn(-5000, 'launch notepad on windows', 'launch', 'notepad', { app: 'notepad' })],
    u: 'do that again',
    expect: X('replay', 'notepad'),
  });
  add({
    scene: desk({ extra: [...linApps(), on('ff-1', 'Firefox', 'linux', [100, 100, 1000, 700])] }),
    history: [turn(-6000, 'launch firefox on linux', 'launch', 'firefox', { app: 'firefox' }), ev(-5000, 'surface.presented', 'ff-1')],
    u: 'once more',
    expect: X('replay', 'firefox'),
  });
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [turn(-3000, "what's the status of linux", 'status', 'linux')],
    u: 'same again please',
    expect: X('replay', 'linux'),
  });
  add({
    scene: desk({ extra: [file('report', 'report.pdf', 'linux'), file('notes', 'notes.txt', 'linux')] }),
    history: [turn(-7000, 'open report.pdf', 'open', 'report')],
    u: 'redo that',
    expect: X('replay', 'report'),
  });
  add({
    scene: scene([vm('linux', 'Linux', 'linux', { power: 'running' }), on('term-s', 'Terminal', 'linux', [200, 200, 700, 450]), on('files-s', 'Files', 'linux', [1000, 200, 700, 450])]),
    history: [turn(-4000, 'move the terminal to the left', 'move', 'term-s')],
    u: 'do that again',
    expect: X('replay', 'term-s'),
  });
  add({
    scene: scene([vm('linux', 'Linux', 'linux', { power: 'running' }), on('ff', 'Firefox', 'linux', [100, 100, 1200, 800])]),
    history: [turn(-3000, 'make the firefox window bigger', 'resize', 'ff')],
    u: 'again',
    expect: X('replay', 'ff'),
  });
  add({
    scene: desk({ linLabel: 'Ubuntu' }),
    history: [turn(-10000, 'search ubuntu for tax forms', 'search', 'linux', { query: 'tax forms' })],
    u: 'run that search again',
    expect: X('replay', 'linux'),
  });
  add({
    scene: desk({ extra: winSnaps() }),
    history: [turn(-6000, 'inspect the pre-upgrade snapshot', 'inspect', 'snap-pre')],
    u: 'show me those details one more time',
    expect: X('replay', 'snap-pre'),
  });
  add({
    scene: desk({ extra: [snapshot('snap-w1', 'Windows 10:02', 'windows')] }),
    history: [turn(-20000, 'take a snapshot of windows', 'snapshot', 'windows'), ev(-18000, 'snapshot.taken', 'snap-w1')],
    u: "let's do that once more",
    expect: X('replay', 'windows'),
  });
  add({
    scene: desk({ extra: winApps() }),
    history: [turn(-4000, 'launch excel', 'launch', 'excel', { app: 'excel' })],
    u: 'do it one more time',
    expect: X('replay', 'excel'),
  });
  add({
    scene: desk({ extra: [...winApps(), on('np-s', 'Notepad', 'windows', [300, 200, 800, 500])] }),
    history: [turn(-20000, 'launch notepad', 'launch', 'notepad', { app: 'notepad' }), turn(-5000, 'bring the notepad window to the front', 'focus', 'np-s')],
    u: 'one more time',
    expect: X('replay', 'np-s'),
  });
  add({
    scene: desk({ extra: [snapshot('snap-1', 'Linux 09:14', 'linux')] }),
    history: [turn(-30000, 'snapshot linux', 'snapshot', 'linux'), turn(-3000, 'inspect windows', 'inspect', 'windows')],
    u: 'do that again',
    expect: X('replay', 'windows'),
  });

  // ---- after a hide: present ----
  {
    const s = scene([vm('vm-linux', 'Linux', 'linux', { power: 'running' }), vm('vm-windows', 'Windows', 'windows', { power: 'running' }), off('linux-desktop', 'Linux desktop', 'linux'), on('windows-desktop', 'Windows desktop', 'windows', [980, 60, 900, 680])]);
    add({
      scene: s,
      history: [turn(-5000, 'hide the linux desktop', 'hide', 'linux-desktop'), ev(-4900, 'surface.hidden', 'linux-desktop')],
      u: 'bring it back',
      expect: X('present', 'linux-desktop'),
    });
    add({
      scene: s,
      history: [turn(-9000, 'hide linux desktop', 'hide', 'linux-desktop'), ev(-8800, 'surface.hidden', 'linux-desktop')],
      u: 'actually, show me that again',
      expect: X('present', 'linux-desktop'),
    });
  }
  add({
    scene: desk({ extra: [off('ff', 'Firefox', 'linux'), on('term-s', 'Terminal', 'linux', [100, 100, 700, 500])] }),
    history: [turn(-6000, 'hide firefox', 'hide', 'ff'), ev(-5900, 'surface.hidden', 'ff')],
    u: 'show me that again',
    expect: X('present', 'ff'),
  });
  add({
    scene: scene([vm('vm-windows', 'Windows', 'windows', { power: 'running' }), off('windows-desktop', 'Windows desktop', 'windows'), on('teams', 'Teams', 'windows', [400, 200, 900, 600])]),
    history: [ev(-4000, 'surface.hidden', 'windows-desktop')],
    u: 'bring that back',
    expect: X('present', 'windows-desktop'),
  });
  add({
    scene: desk(),
    history: [turn(-7000, 'hide the windows vm', 'hide', 'windows')],
    u: 'put it back on screen',
    expect: X('present', 'windows'),
  });
  add({
    scene: desk({ extra: [off('term-s', 'Terminal', 'linux'), on('files-s', 'Files', 'linux', [600, 300, 800, 500])] }),
    history: [turn(-3000, 'minimize the terminal', 'hide', 'term-s')],
    u: 'unhide it',
    expect: X('present', 'term-s'),
  });
  add({
    scene: desk({ extra: [off('calc', 'Calculator', 'linux'), off('ff', 'Firefox', 'linux')] }),
    history: [turn(-30000, 'hide the calculator', 'hide', 'calc'), turn(-5000, 'hide firefox', 'hide', 'ff')],
    u: 'bring it back',
    expect: X('present', 'ff'),
  });
  add({
    scene: desk({ extra: [off('np-s', 'Notepad', 'windows')] }),
    history: [turn(-8000, 'hide notepad', 'hide', 'np-s'), ev(-7900, 'surface.hidden', 'np-s')],
    u: 'bring it back please',
    expect: X('present', 'np-s'),
  });
  add({
    scene: desk({ extra: [off('outlook', 'Outlook', 'windows'), on('excel-s', 'Excel', 'windows', [200, 100, 1200, 800])] }),
    history: [turn(-4000, 'hide this', 'hide', 'outlook'), ev(-3900, 'surface.hidden', 'outlook')],
    u: 'hmm, bring it back',
    expect: X('present', 'outlook'),
  });

  // ---- after a pause: resume ----
  add({
    scene: desk({ win: { power: 'paused' } }),
    history: [turn(-6000, 'pause windows', 'pause', 'windows'), ev(-5800, 'vm.paused', 'windows')],
    u: 'bring it back',
    expect: X('resume', 'windows'),
  });
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [turn(-12000, 'pause linux', 'pause', 'linux'), ev(-11800, 'vm.paused', 'linux')],
    u: 'ok, let it run again',
    expect: X('resume', 'linux'),
  });
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [ev(-9000, 'vm.paused', 'linux')],
    u: 'bring it back',
    expect: X('resume', 'linux'),
  });
  add({
    scene: desk({ linLabel: 'Ubuntu', lin: { power: 'paused' } }),
    history: [turn(-15000, 'freeze ubuntu', 'pause', 'linux'), ev(-14800, 'vm.paused', 'linux')],
    u: 'unfreeze it',
    expect: X('resume', 'linux'),
  });
  add({
    scene: desk({ lin: { power: 'paused' }, win: { power: 'paused' } }),
    history: [turn(-20000, 'pause windows', 'pause', 'windows'), turn(-5000, 'pause linux', 'pause', 'linux')],
    u: 'bring it back',
    expect: X('resume', 'linux'),
  });
  add({
    scene: desk({ win: { power: 'paused' } }),
    history: [turn(-8000, 'pause windows', 'pause', 'windows')],
    u: 'continue it',
    expect: X('resume', 'windows'),
  });
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [turn(-25000, 'pause linux', 'pause', 'linux'), ev(-24800, 'vm.paused', 'linux')],
    u: 'bring linux back',
    expect: X('resume', 'linux'),
  });
  add({
    scene: desk({ win: { power: 'paused' }, extra: [snapshot('snap-w2', 'Windows 11:40', 'windows')] }),
    history: [
      turn(-20000, 'pause windows', 'pause', 'windows'),
      ev(-19800, 'vm.paused', 'windows'),
      turn(-9000, 'snapshot windows', 'snapshot', 'windows'),
      ev(-8000, 'snapshot.taken', 'snap-w2'),
    ],
    u: 'ok bring it back now',
    expect: X('resume', 'windows'),
  });

  // ---- after a close: "take another look" is restore or inspect ----
  add({
    scene: desk({ extra: [off('ff', 'Firefox', 'linux')] }),
    history: [turn(-7000, 'close firefox', 'close', 'ff'), ev(-6900, 'surface.closed', 'ff')],
    u: 'take another look',
    expect: C('restore', 'inspect'),
  });
  add({
    scene: desk({ extra: [off('term-s', 'Terminal', 'linux')] }),
    history: [turn(-5000, 'close the terminal', 'close', 'term-s')],
    u: 'let me take another look at that',
    expect: C('restore', 'inspect'),
  });
  add({
    scene: desk({ extra: [off('np-s', 'Notepad', 'windows')] }),
    history: [ev(-6000, 'surface.closed', 'np-s')],
    u: 'I want to take another look at it',
    expect: C('restore', 'inspect'),
  });
  add({
    scene: scene([vm('vm-linux', 'Linux', 'linux', { power: 'running' }), off('linux-desktop', 'Linux desktop', 'linux')]),
    history: [turn(-9000, 'close the linux desktop', 'close', 'linux-desktop'), ev(-8900, 'surface.closed', 'linux-desktop')],
    u: 'can I take another look?',
    expect: C('restore', 'inspect'),
  });
  add({
    scene: desk({ extra: [off('excel-s', 'Excel', 'windows')] }),
    history: [turn(-4000, 'close excel', 'close', 'excel-s')],
    u: 'take another look at it please',
    expect: C('restore', 'inspect'),
  });
  add({
    scene: desk({ extra: [off('calc', 'Calculator', 'linux')] }),
    history: [turn(-3000, 'close the calculator', 'close', 'calc'), ev(-2900, 'surface.closed', 'calc')],
    u: "hmm, I'd like to take another look at that",
    expect: C('restore', 'inspect'),
  });

  // ---- explain what RayOS did ----
  add({
    scene: desk({ win: { power: 'paused' } }),
    history: [ev(-8000, 'vm.paused', 'windows')],
    u: 'why did that happen?',
    expect: X('explain', 'windows'),
  });
  add({
    scene: scene([vm('vm-linux', 'Linux', 'linux', { power: 'running' }), off('linux-desktop', 'Linux desktop', 'linux')]),
    history: [ev(-3000, 'surface.hidden', 'linux-desktop')],
    u: 'why did you do that?',
    expect: X('explain', 'linux-desktop'),
  });
  add({
    scene: desk({ win: { network: 'off' } }),
    history: [ev(-40000, 'vm.network_off', 'windows')],
    u: 'why did windows lose its network?',
    expect: X('explain', 'windows'),
  });
  add({
    scene: desk({ lin: { power: 'suspended' }, extra: [off('np-s', 'Notepad', 'windows')] }),
    history: [ev(-20000, 'vm.suspended', 'linux'), ev(-3000, 'surface.closed', 'np-s')],
    u: 'why did you do that?',
    expect: X('explain', 'np-s'),
  });
  add({
    scene: desk({ lin: { power: 'stopped' } }),
    history: [ev(-120000, 'vm.stopped', 'linux')],
    u: 'what made linux stop?',
    expect: X('explain', 'linux'),
  });
  add({
    scene: desk({ win: { power: 'paused' }, extra: [off('ff', 'Firefox', 'linux')] }),
    history: [turn(-9000, 'pause windows', 'pause', 'windows'), ev(-8900, 'vm.paused', 'windows'), ev(-2000, 'surface.hidden', 'ff')],
    u: 'wait, why did firefox just disappear?',
    expect: X('explain', 'ff'),
  });

  // ---- an explicit verb, or a later turn, changes what "again" / "it" means ----
  add({
    scene: desk(),
    history: [turn(-20000, 'pause windows', 'pause', 'windows'), turn(-6000, 'resume windows', 'resume', 'windows')],
    u: 'pause it again',
    expect: X('pause', 'windows'),
  });
  add({
    scene: desk({ extra: [on('ff', 'Firefox', 'linux', [100, 100, 1000, 700])] }),
    history: [turn(-10000, 'hide firefox', 'hide', 'ff'), turn(-3000, 'show firefox', 'present', 'ff')],
    u: 'hide it again',
    expect: X('hide', 'ff'),
  });
  {
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'paused' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running' }),
      off('windows-desktop', 'Windows desktop', 'windows'),
    ]);
    add({
      scene: s,
      history: [turn(-8000, 'pause linux', 'pause', 'linux'), turn(-3000, 'hide the windows desktop', 'hide', 'windows-desktop')],
      u: 'bring it back',
      expect: X('present', 'windows-desktop'),
    });
    const s2 = scene([
      vm('linux', 'Linux', 'linux', { power: 'paused' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running' }),
      off('windows-desktop', 'Windows desktop', 'windows'),
    ]);
    add({
      scene: s2,
      history: [turn(-8000, 'hide the windows desktop', 'hide', 'windows-desktop'), turn(-3000, 'pause linux', 'pause', 'linux')],
      u: 'bring it back',
      expect: X('resume', 'linux'),
    });
  }
  return cases;
}
