// precondition: the request is understood; when its precondition fails → inform, when it holds → execute
// (often with the *other* object in the failing state, so an engine that just pattern-matches state fails).
export default function precondition({ r, vm, surface, scene, X, INFORM, trace, bias }) {
  const T = (accuracyDeg, pxPerDeg = 40) => ({ accuracyDeg, pxPerDeg });
  const look = (tr, fix) => trace(r, { end: 0, fix, sd: Math.max(3, tr.accuracyDeg * tr.pxPerDeg * 0.12), off: bias(r, tr, 0.25) });
  const turn = (t, text, action, target) => ({ t, text, resolved: { action, target } });
  const ev = (t, event, target) => ({ t, event, target });
  const desk = ({ lin = {}, win = {}, linLabel = 'Linux', winLabel = 'Windows', linId = 'linux', winId = 'windows', extra = [] } = {}) =>
    scene([
      vm(linId, linLabel, 'linux', { power: 'running', presented: false, network: 'on', ...lin }),
      vm(winId, winLabel, 'windows', { power: 'running', presented: false, network: 'on', ...win }),
      ...extra,
    ]);
  const LIN = [40, 60, 900, 680];
  const WIN = [980, 60, 900, 680];
  const vmsOnScreen = ({ lin = {}, win = {} } = {}) =>
    scene([
      vm('linux', 'Linux', 'linux', { power: 'running', presented: true, network: 'on', ...lin }, LIN, 1),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: true, network: 'on', ...win }, WIN, 1),
    ]);
  const desktops = ({ lin = true, win = true, extra = [] } = {}) =>
    scene([
      vm('vm-linux', 'Linux', 'linux', { power: 'running', network: 'on' }),
      vm('vm-windows', 'Windows', 'windows', { power: 'running', network: 'on' }),
      surface('linux-desktop', 'Linux desktop', 'linux', lin ? LIN : undefined, lin ? 1 : undefined, { presented: lin }),
      surface('windows-desktop', 'Windows desktop', 'windows', win ? WIN : undefined, win ? 1 : undefined, { presented: win }),
      ...extra,
    ]);
  const cases = [];
  const add = (o) => cases.push(o);

  // ---- precondition fails → inform ----
  add({ scene: desk({ win: { power: 'paused' } }), u: 'pause windows please', expect: INFORM });
  add({ scene: desk({ lin: { power: 'stopped' } }), u: 'pause linux', expect: INFORM });
  add({ scene: desk(), u: 'resume windows', expect: INFORM });
  add({ scene: desk({ win: { power: 'paused' } }), u: 'resume the linux vm', expect: INFORM });
  add({ scene: desk(), u: 'start windows', expect: INFORM });
  add({ scene: desk({ linLabel: 'Ubuntu' }), u: 'boot up linux', expect: INFORM });
  add({ scene: desk({ lin: { power: 'stopped' } }), u: 'stop linux', expect: INFORM });
  add({ scene: desk({ win: { power: 'stopped' } }), u: 'shut down windows', expect: INFORM });
  add({ scene: desk({ win: { power: 'suspended' } }), u: 'suspend windows', expect: INFORM });
  add({ scene: desk({ lin: { power: 'stopped' } }), u: 'suspend linux', expect: INFORM });
  add({
    scene: scene([vm('linux', 'Linux', 'linux', { power: 'running', presented: true }, [0, 0, 1920, 1080], 1), vm('windows', 'Windows', 'windows', { power: 'running', presented: false })]),
    u: 'show me the linux desktop',
    expect: INFORM,
  });
  add({ scene: desktops(), u: 'show the windows desktop', expect: INFORM });
  add({
    scene: desktops({ extra: [surface('ff', 'Firefox', 'linux', undefined, undefined, { presented: false })] }),
    u: 'hide firefox',
    expect: INFORM,
  });
  add({ scene: desktops({ lin: false }), u: 'hide the linux desktop', expect: INFORM });
  add({ scene: desk({ win: { network: 'off' } }), u: 'turn off networking for windows', expect: INFORM });
  add({ scene: desk({ lin: { network: 'off' } }), u: 'disconnect linux from the network', expect: INFORM });
  add({ scene: desk(), u: 'turn the network on for windows', expect: INFORM });
  add({ scene: desk({ win: { network: 'off' } }), u: 'reconnect linux to the internet', expect: INFORM });
  {
    const tr = T(1);
    add({ scene: vmsOnScreen({ win: { power: 'paused' } }), tracker: tr, gaze: look(tr, [[1420, 400, 1000]]), u: 'pause this', expect: INFORM });
  }
  {
    const tr = T(2);
    add({ scene: vmsOnScreen({ win: { power: 'paused' } }), tracker: tr, gaze: look(tr, [[480, 380, 1000]]), u: 'resume this one', expect: INFORM });
  }
  add({
    scene: desk({ lin: { power: 'paused' } }),
    history: [turn(-5000, 'pause linux', 'pause', 'linux'), ev(-4900, 'vm.paused', 'linux')],
    u: 'pause it',
    expect: INFORM,
  });
  add({ scene: desk({ win: { power: 'paused' } }), u: 'pasue windows', expect: INFORM });
  add({ scene: desk({ linLabel: 'Ubuntu 24.04', lin: { power: 'paused' } }), u: 'could you please pause ubuntu?', expect: INFORM });
  add({ scene: desk({ win: { power: 'paused' } }), u: 'freeze windows', expect: INFORM });
  add({ scene: desk({ win: { power: 'paused' } }), u: 'unpause linux', expect: INFORM });
  add({ scene: desk({ win: { network: 'off' }, lin: { network: 'off' } }), u: 'cut the network for windows', expect: INFORM });
  add({ scene: desktops({ win: false }), u: 'present the linux desktop', expect: INFORM });
  add({
    scene: scene([vm('linux', 'Linux', 'linux', { power: 'running', presented: false }), vm('windows', 'Windows', 'windows', { power: 'running', presented: true }, [0, 0, 1920, 1080], 1)]),
    u: 'bring up the windows desktop',
    expect: INFORM,
  });
  add({ scene: desk({ linLabel: 'Ubuntu', lin: { power: 'suspended' } }), u: 'suspend the ubuntu machine', expect: INFORM });
  add({ scene: desk({ win: { power: 'stopped' } }), u: 'Stop the Windows VM.', expect: INFORM });
  {
    const tr = T(1);
    add({ scene: vmsOnScreen({ lin: { network: 'off' } }), tracker: tr, gaze: look(tr, [[500, 420, 1000]]), u: 'turn off the network for this one', expect: INFORM });
  }
  add({
    scene: scene([vm('linux', 'Linux', 'linux', { power: 'running', presented: true }, [0, 0, 1920, 1080], 1), vm('windows', 'Windows', 'windows', { power: 'stopped', presented: false })]),
    u: 'show linux',
    expect: INFORM,
  });

  // ---- precondition holds → execute ----
  add({ scene: desk({ win: { power: 'paused' } }), u: 'pause linux', expect: X('pause', 'linux') });
  add({ scene: desk({ win: { power: 'paused' } }), u: 'resume windows', expect: X('resume', 'windows') });
  add({ scene: desk({ lin: { power: 'stopped' } }), u: 'start linux', expect: X('start', 'linux') });
  add({ scene: desk({ lin: { power: 'stopped' } }), u: 'stop windows', expect: X('stop', 'windows') });
  add({ scene: desk({ lin: { power: 'suspended' } }), u: 'suspend windows', expect: X('suspend', 'windows') });
  add({ scene: desktops({ win: false }), u: 'show the windows desktop', expect: X('present', 'windows-desktop') });
  add({ scene: desktops({ win: false }), u: 'hide the linux desktop', expect: X('hide', 'linux-desktop') });
  add({ scene: desk({ win: { network: 'off' } }), u: 'turn off networking for linux', expect: X('network_off', 'linux') });
  add({ scene: desk({ win: { network: 'off' } }), u: 'turn on the network for windows', expect: X('network_on', 'windows') });
  {
    const tr = T(1);
    add({ scene: vmsOnScreen({ win: { power: 'paused' } }), tracker: tr, gaze: look(tr, [[480, 400, 1000]]), u: 'pause this', expect: X('pause', 'linux') });
  }
  {
    const tr = T(1);
    add({ scene: vmsOnScreen({ win: { power: 'paused' } }), tracker: tr, gaze: look(tr, [[1450, 380, 1000]]), u: 'resume this one', expect: X('resume', 'windows') });
  }
  add({ scene: desk({ lin: { power: 'paused' } }), u: 'stop linux', expect: X('stop', 'linux') });
  add({ scene: desk({ linLabel: 'Ubuntu 24.04', win: { power: 'paused' } }), u: 'could you please pause ubuntu?', expect: X('pause', 'linux') });
  add({ scene: desk({ win: { power: 'stopped' }, lin: { power: 'stopped' } }), u: 'start windows', expect: X('start', 'windows') });
  add({ scene: desk({ win: { network: 'off' }, lin: { network: 'off' } }), u: 'reconnect windows to the network', expect: X('network_on', 'windows') });
  add({
    scene: scene([vm('linux', 'Linux', 'linux', { power: 'running', presented: false }), vm('windows', 'Windows', 'windows', { power: 'running', presented: true }, [0, 0, 1920, 1080], 1)]),
    u: 'show linux',
    expect: X('present', 'linux'),
  });
  add({
    scene: desktops({ extra: [surface('ff', 'Firefox', 'linux', [200, 150, 900, 600], 2), surface('calc', 'Calculator', 'linux', undefined, undefined, { presented: false })] }),
    u: 'hide firefox',
    expect: X('hide', 'ff'),
  });
  add({ scene: desk({ win: { power: 'suspended' } }), u: 'suspend linux', expect: X('suspend', 'linux') });
  add({ scene: desk({ lin: { power: 'paused' }, win: { power: 'paused' } }), u: 'resume linux', expect: X('resume', 'linux') });
  add({ scene: desk({ lin: { network: 'off' } }), u: 'network off for windows', expect: X('network_off', 'windows') });
  add({
    scene: desk({ win: { power: 'paused' } }),
    history: [turn(-5000, 'pause windows', 'pause', 'windows'), ev(-4900, 'vm.paused', 'windows')],
    u: 'now pause linux too',
    expect: X('pause', 'linux'),
  });
  return cases;
}
