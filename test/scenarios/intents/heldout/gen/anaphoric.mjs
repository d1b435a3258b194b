// anaphoric: "it", "that one", "the same one", "the other one" refer back to what the conversation was about.
// With and without gaze; where gaze and recency disagree and both readings fit the action → clarify; where only
// one reading fits the action's object type or preconditions → execute on that one.
export default function anaphoric({ r, vm, surface, app, file, snapshot, scene, X, C, trace, bias, at }) {
  const T = (accuracyDeg, pxPerDeg = 40) => ({ accuracyDeg, pxPerDeg });
  const look = (tr, fix, { end = 0, frac = 0.25 } = {}) =>
    trace(r, { end, fix, sd: Math.max(3, tr.accuracyDeg * tr.pxPerDeg * 0.12), off: bias(r, tr, frac) });
  const turn = (t, text, action, target, slots) => ({ t, text, resolved: slots ? { action, target, slots } : { action, target } });
  const ev = (t, event, target) => ({ t, event, target });

  const desk = ({ lin = {}, win = {}, linLabel = 'Linux', winLabel = 'Windows', extra = [] } = {}) =>
    scene([
      vm('linux', linLabel, 'linux', { power: 'running', presented: false, network: 'on', ...lin }),
      vm('windows', winLabel, 'windows', { power: 'running', presented: false, network: 'on', ...win }),
      ...extra,
    ]);
  const LIN = [40, 60, 900, 680];
  const WIN = [980, 60, 900, 680];
  const vmsOnScreen = ({ lin = {}, win = {}, extra = [] } = {}) =>
    scene([
      vm('linux', 'Linux', 'linux', { power: 'running', presented: true, network: 'on', ...lin }, LIN, 1),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: true, network: 'on', ...win }, WIN, 1),
      ...extra,
    ]);
  const sideBySide = ({ linState = { presented: true }, winState = { presented: true }, extra = [] } = {}) =>
    scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running', network: 'on' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running', network: 'on' }),
      surface('linux-desktop', 'Linux desktop', 'linux', linState.presented ? LIN : undefined, linState.presented ? 1 : undefined, linState),
      surface('windows-desktop', 'Windows desktop', 'windows', winState.presented ? WIN : undefined, winState.presented ? 1 : undefined, winState),
      ...extra,
    ]);
  const winSnaps = () => [snapshot('snap-clean', 'clean install', 'windows'), snapshot('snap-pre', 'pre-upgrade', 'windows')];
  const c = (rect) => at(rect);
  const cases = [];
  const add = (o) => cases.push(o);

  // ---- history only, no gaze ----
  add({
    scene: desk({ win: { power: 'paused' } }),
    history: [turn(-6000, 'pause the windows vm', 'pause', 'windows'), ev(-5900, 'vm.paused', 'windows')],
    u: 'now take a snapshot of it',
    expect: X('snapshot', 'windows'),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running', presented: true }, [0, 0, 1920, 1080], 1),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: false }),
    ]),
    history: [turn(-7000, 'show me the linux desktop', 'present', 'linux'), ev(-6800, 'vm.presented', 'linux')],
    u: 'ok, hide it',
    expect: X('hide', 'linux'),
  });
  add({
    scene: desk(),
    history: [turn(-12000, 'start windows', 'start', 'windows'), ev(-9000, 'vm.started', 'windows')],
    u: 'how is it doing?',
    expect: X('status', 'windows'),
  });
  add({
    scene: desk({ extra: winSnaps() }),
    history: [turn(-5000, 'inspect the clean install snapshot', 'inspect', 'snap-clean')],
    u: 'restore that one',
    expect: X('restore', 'snap-clean'),
  });
  add({
    scene: desk({ extra: [file('budget', 'Budget 2024.xlsx', 'windows'), file('cv', 'CV.docx', 'windows')] }),
    history: [turn(-9000, 'open budget 2024.xlsx', 'open', 'budget')],
    u: 'show me the details of it',
    expect: X('inspect', 'budget'),
  });
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [turn(-20000, 'pause linux', 'pause', 'linux'), turn(-4000, 'show the windows desktop', 'present', 'windows')],
    u: 'snapshot it',
    expect: X('snapshot', 'windows'),
  });
  add({
    scene: desk({ extra: [snapshot('snap-lin-1402', 'Linux 14:02', 'linux')] }),
    history: [turn(-3000, 'take a snapshot of linux', 'snapshot', 'linux'), ev(-2500, 'snapshot.taken', 'snap-lin-1402')],
    u: 'great, now pause it',
    expect: X('pause', 'linux'),
  });
  add({
    scene: desk(),
    history: [turn(-2000, 'resume the windows vm', 'resume', 'windows'), ev(-1900, 'vm.started', 'windows')],
    u: 'and turn off its network',
    expect: X('network_off', 'windows'),
  });
  add({
    scene: desk({ linLabel: 'Ubuntu' }),
    history: [turn(-8000, "what's the status of ubuntu", 'status', 'linux')],
    u: 'suspend it',
    expect: X('suspend', 'linux'),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('term-surface', 'Terminal', 'linux', [100, 100, 700, 450], 2),
      surface('files-surface', 'Files', 'linux', [600, 300, 900, 600], 1),
    ]),
    history: [turn(-5000, 'focus the terminal', 'focus', 'term-surface')],
    u: 'make it bigger',
    expect: X('resize', 'term-surface'),
  });
  add({
    scene: desk({ extra: [surface('ff', 'Firefox', 'linux', undefined, undefined, { presented: false })] }),
    history: [turn(-15000, 'hide firefox', 'hide', 'ff'), turn(-3000, "what's up with windows", 'status', 'windows')],
    u: 'stop it',
    expect: X('stop', 'windows'),
  });
  add({
    scene: sideBySide(),
    history: [turn(-6000, 'show the windows desktop', 'present', 'windows-desktop')],
    u: 'move it to the left half',
    expect: X('move', 'windows-desktop'),
  });
  add({
    scene: desk({ extra: [app('vscode', 'VS Code', 'linux'), app('terminal', 'Terminal', 'linux')] }),
    history: [turn(-7000, 'launch vs code on linux', 'launch', 'vscode', { app: 'vscode' })],
    u: 'what version is it?',
    expect: X('inspect', 'vscode'),
  });
  add({
    scene: desk({ extra: winSnaps() }),
    history: [turn(-6000, 'restore the pre-upgrade snapshot', 'restore', 'snap-pre')],
    u: 'tell me more about that snapshot',
    expect: X('inspect', 'snap-pre'),
  });
  add({
    scene: desk({ lin: { power: 'stopped' } }),
    history: [turn(-60000, 'stop linux', 'stop', 'linux'), ev(-55000, 'vm.stopped', 'linux')],
    u: 'start it back up',
    expect: X('start', 'linux'),
  });
  add({
    scene: desk(),
    history: [turn(-9000, 'pause windows', 'pause', 'windows'), turn(-4000, 'resume windows', 'resume', 'windows')],
    u: 'snapshot it',
    expect: X('snapshot', 'windows'),
  });
  add({
    scene: desk({ winLabel: 'Windows 11' }),
    history: [turn(-15000, 'take a snapshot of windows', 'snapshot', 'windows')],
    u: 'search the same machine for budget spreadsheets',
    expect: X('search', 'windows', { query: 'budget spreadsheets' }),
  });
  add({
    scene: desk(),
    history: [turn(-10000, 'inspect the linux vm', 'inspect', 'linux')],
    u: 'suspend the same one',
    expect: X('suspend', 'linux'),
  });
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [turn(-4000, 'pause linux', 'pause', 'linux'), ev(-3900, 'vm.paused', 'linux')],
    u: 'pause the other one too',
    expect: X('pause', 'windows'),
  });
  add({
    scene: sideBySide({ winState: { presented: false } }),
    history: [turn(-5000, 'show the linux desktop', 'present', 'linux-desktop'), ev(-4900, 'surface.presented', 'linux-desktop')],
    u: 'show the other one as well',
    expect: X('present', 'windows-desktop'),
  });
  add({
    scene: desk({ linLabel: 'Ubuntu' }),
    history: [turn(-8000, 'snapshot ubuntu', 'snapshot', 'linux')],
    u: 'do the other vm too',
    expect: X('snapshot', 'windows'),
  });
  add({
    scene: desk({ extra: winSnaps() }),
    history: [turn(-9000, 'inspect the clean install snapshot', 'inspect', 'snap-clean')],
    u: 'hmm, restore the other one',
    expect: X('restore', 'snap-pre'),
  });
  add({
    scene: desk({ extra: [file('notes', 'notes.txt', 'linux'), file('todo', 'todo.md', 'linux')] }),
    history: [turn(-20000, 'show linux', 'present', 'linux'), turn(-5000, 'inspect notes.txt', 'inspect', 'notes')],
    u: 'open that one',
    expect: X('open', 'notes'),
  });
  add({
    scene: desk(),
    history: [turn(-5000, 'search windows for invoices', 'search', 'windows', { query: 'invoices' })],
    u: 'now do the same search on linux',
    expect: X('search', 'linux', { query: 'invoices' }),
  });
  add({
    scene: desk({ linLabel: 'Fedora' }),
    history: [turn(-6000, 'search fedora for ssh keys', 'search', 'linux', { query: 'ssh keys' })],
    u: 'look in it for gpg keys too',
    expect: X('search', 'linux', { query: 'gpg keys' }),
  });
  add({
    scene: scene([
      vm('linux', 'Linux', 'linux', { power: 'running', presented: false }),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: true }, [0, 0, 1920, 1080], 1),
    ]),
    history: [turn(-30000, 'pause linux', 'pause', 'linux'), turn(-10000, 'resume linux', 'resume', 'linux'), turn(-2000, 'show the windows desktop', 'present', 'windows')],
    u: "what's its status?",
    expect: X('status', 'windows'),
  });
  add({
    scene: desk(),
    history: [turn(-7000, "what's the status of the windows vm", 'status', 'windows')],
    u: 'disconnect it from the internet',
    expect: X('network_off', 'windows'),
  });
  add({
    scene: desk({ extra: [file('contract', 'contract.odt', 'linux'), file('invoice', 'invoice-0423.pdf', 'linux')] }),
    history: [turn(-8000, 'open contract.odt', 'open', 'contract')],
    u: 'show me its details',
    expect: X('inspect', 'contract'),
  });
  add({
    scene: desk({ win: { power: 'stopped' } }),
    history: [turn(-40000, 'stop windows', 'stop', 'windows'), ev(-38000, 'vm.stopped', 'windows')],
    u: 'boot it again',
    expect: X('start', 'windows'),
  });

  // ---- gaze agrees with the conversation ----
  {
    const tr = T(1);
    add({
      scene: vmsOnScreen(),
      tracker: tr,
      gaze: look(tr, [[1400, 420, 900]]),
      history: [turn(-5000, 'start windows', 'start', 'windows'), ev(-3000, 'vm.started', 'windows')],
      u: 'pause it',
      expect: X('pause', 'windows'),
    });
  }
  {
    const tr = T(2);
    add({
      scene: sideBySide(),
      tracker: tr,
      gaze: look(tr, [[500, 380, 1000]]),
      history: [turn(-6000, 'show the linux desktop', 'present', 'linux-desktop')],
      u: 'close it',
      expect: X('close', 'linux-desktop'),
    });
  }
  {
    const tr = T(0.5);
    const icon = [40, 140, 64, 64];
    const s = scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      file('report', 'report.pdf', 'windows', [40, 40, 64, 64], 3),
      file('photo', 'beach.jpg', 'windows', icon, 3),
    ]);
    add({
      scene: s,
      tracker: tr,
      gaze: look(tr, [c(icon).concat(800)]),
      history: [turn(-6000, 'open beach.jpg', 'open', 'photo')],
      u: 'inspect it',
      expect: X('inspect', 'photo'),
    });
  }
  {
    const tr = T(1);
    const calc = [1100, 420, 300, 360];
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('browser', 'Firefox', 'linux', [160, 90, 1500, 880], 1),
      surface('calc', 'Calculator', 'linux', calc, 2),
    ]);
    add({
      scene: s,
      tracker: tr,
      gaze: look(tr, [c(calc).concat(900)]),
      history: [turn(-4000, 'move the calculator to the right', 'move', 'calc')],
      u: 'close that one',
      expect: X('close', 'calc'),
    });
  }
  {
    const tr = T(2);
    add({
      scene: vmsOnScreen(),
      tracker: tr,
      gaze: look(tr, [[1450, 300, 1000]]),
      history: [turn(-6000, 'resume windows', 'resume', 'windows')],
      u: 'snapshot it',
      expect: X('snapshot', 'windows'),
    });
  }
  {
    const tr = T(1);
    const s = scene([
      vm('windows', 'Windows', 'windows', { power: 'running' }),
      surface('w-mail', 'Outlook', 'windows', [100, 100, 900, 600], 1),
      surface('w-excel', 'Excel', 'windows', [250, 200, 900, 600], 2),
    ]);
    add({
      scene: s,
      tracker: tr,
      gaze: look(tr, [[700, 500, 900]]),
      history: [turn(-3000, 'focus excel', 'focus', 'w-excel')],
      u: 'make it smaller',
      expect: X('resize', 'w-excel'),
    });
  }
  {
    const tr = T(4);
    add({
      scene: vmsOnScreen(),
      tracker: tr,
      gaze: look(tr, [[480, 400, 1100]]),
      history: [turn(-9000, 'snapshot linux', 'snapshot', 'linux')],
      u: 'now suspend it',
      expect: X('suspend', 'linux'),
    });
  }
  {
    const tr = T(1);
    add({
      scene: sideBySide(),
      tracker: tr,
      gaze: look(tr, [[500, 400, 600], [1450, 350, 450]]),
      history: [turn(-5000, 'show the windows desktop', 'present', 'windows-desktop')],
      u: 'close it',
      expect: X('close', 'windows-desktop'),
    });
  }

  // ---- no history: "it" resolved by gaze alone ----
  {
    const tr = T(1, 30);
    const a = [20, 20, 650, 600];
    const b = [696, 20, 650, 600];
    const s = scene(
      [vm('windows', 'Windows', 'windows', { power: 'running' }), surface('edge-win', 'Microsoft Edge', 'windows', a, 1), surface('teams-win', 'Teams', 'windows', b, 1)],
      [1366, 768],
    );
    add({ scene: s, tracker: tr, gaze: look(tr, [[1050, 300, 900]]), u: 'close it', expect: X('close', 'teams-win') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen(), tracker: tr, gaze: look(tr, [[1500, 500, 900]]), u: 'pause it', expect: X('pause', 'windows') });
  }
  {
    const tr = T(0.5);
    const icon = [1800, 100, 64, 64];
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('linux-desktop', 'Linux desktop', 'linux', [60, 60, 1500, 950], 1),
      file('slides', 'talk-slides.pdf', 'linux', icon, 3),
    ]);
    add({ scene: s, tracker: tr, gaze: look(tr, [c(icon).concat(800)]), u: 'open it', expect: X('open', 'slides') });
  }

  // ---- gaze and recency disagree ----
  {
    // both readings fit: ask
    const tr = T(1);
    add({
      scene: vmsOnScreen(),
      tracker: tr,
      gaze: look(tr, [[480, 400, 1000]]),
      history: [turn(-2500, 'resume windows', 'resume', 'windows')],
      u: 'snapshot it',
      expect: C('linux', 'windows'),
    });
  }
  {
    const tr = T(1);
    add({
      scene: sideBySide(),
      tracker: tr,
      gaze: look(tr, [[480, 400, 1000]]),
      history: [turn(-4000, 'show the windows desktop', 'present', 'windows-desktop')],
      u: 'hide it',
      expect: C('linux-desktop', 'windows-desktop'),
    });
  }
  {
    const tr = T(1);
    add({
      scene: vmsOnScreen(),
      tracker: tr,
      gaze: look(tr, [[500, 300, 1000]]),
      history: [turn(-3000, 'show me the status of windows', 'status', 'windows')],
      u: 'stop it',
      expect: C('linux', 'windows'),
    });
  }
  {
    const tr = T(0.5);
    const q3 = [40, 40, 64, 64];
    const bud = [40, 240, 64, 64];
    const s = scene([vm('windows', 'Windows', 'windows', { power: 'running' }), file('q3', 'Q3 report.docx', 'windows', q3, 3), file('budget', 'budget.xlsx', 'windows', bud, 3)]);
    add({
      scene: s,
      tracker: tr,
      gaze: look(tr, [c(bud).concat(1000)]),
      history: [turn(-5000, 'open the q3 report', 'open', 'q3')],
      u: 'inspect that one',
      expect: C('q3', 'budget'),
    });
  }
  {
    // only a snapshot can be restored: "it" is the snapshot, whatever is looked at
    const tr = T(1);
    add({
      scene: vmsOnScreen({ extra: winSnaps() }),
      tracker: tr,
      gaze: look(tr, [[1400, 400, 1000]]),
      history: [turn(-5000, 'inspect the clean install snapshot', 'inspect', 'snap-clean')],
      u: 'restore it',
      expect: X('restore', 'snap-clean'),
    });
  }
  {
    // a snapshot cannot be paused: the running VM being looked at is meant
    const tr = T(1);
    add({
      scene: vmsOnScreen({ extra: [snapshot('snap-u', 'Ubuntu clean install', 'linux')] }),
      tracker: tr,
      gaze: look(tr, [[450, 380, 1000]]),
      history: [turn(-6000, 'inspect the ubuntu clean install snapshot', 'inspect', 'snap-u')],
      u: 'pause it',
      expect: X('pause', 'linux'),
    });
  }
  {
    // the calculator was closed and is gone from the screen: "that one" is what is looked at
    const tr = T(1);
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running' }),
      surface('browser', 'Firefox', 'linux', [160, 90, 1500, 880], 1),
      surface('calc', 'Calculator', 'linux', undefined, undefined, { presented: false }),
    ]);
    add({
      scene: s,
      tracker: tr,
      gaze: look(tr, [[800, 500, 1000]]),
      history: [turn(-3000, 'close the calculator', 'close', 'calc'), ev(-2900, 'surface.closed', 'calc')],
      u: 'hide that one',
      expect: X('hide', 'browser'),
    });
  }
  {
    // only linux is paused, so only linux can be resumed
    const tr = T(1);
    add({
      scene: vmsOnScreen({ lin: { power: 'paused' } }),
      tracker: tr,
      gaze: look(tr, [[1400, 450, 1000]]),
      history: [turn(-1500, 'pause linux', 'pause', 'linux'), ev(-1400, 'vm.paused', 'linux')],
      u: 'resume it',
      expect: X('resume', 'linux'),
    });
  }
  {
    // gaze rests on nothing in particular: the conversation decides
    const tr = T(1);
    const s = scene([
      vm('linux', 'Linux', 'linux', { power: 'running', presented: true }, [60, 60, 700, 500], 1),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: true }, [1160, 520, 700, 500], 1),
    ]);
    add({
      scene: s,
      tracker: tr,
      gaze: look(tr, [[960, 300, 1000]]),
      history: [turn(-3000, 'snapshot windows', 'snapshot', 'windows')],
      u: 'pause it',
      expect: X('pause', 'windows'),
    });
  }
  {
    // a file cannot be suspended: the VM being looked at is meant
    const tr = T(1);
    add({
      scene: vmsOnScreen({ extra: [file('budget', 'budget.xlsx', 'windows')] }),
      tracker: tr,
      gaze: look(tr, [[1450, 400, 1000]]),
      history: [turn(-4000, 'inspect budget.xlsx', 'inspect', 'budget')],
      u: 'suspend it',
      expect: X('suspend', 'windows'),
    });
  }
  return cases;
}
