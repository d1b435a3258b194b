// Tests the installed system's systemd files: the runtime unit notifies, is watched, restarts, reboots after repeated failure and gates boot-complete; the watchdog and journal drop-ins; unsafe paths refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RUNTIME_UNIT, persistentJournalDropIn, runtimeUnit, watchdogDropIn } from './systemd-units.js';

const unit = runtimeUnit({ node: '/usr/bin/node', runtimeMain: '/opt/rayos/dist/src/daemon/main.js', dataDir: '/var/lib/rayos', ...DEFAULT_RUNTIME_UNIT });
const lines = unit.split('\n');
const section = (name: string): string[] => {
  const start = lines.indexOf(`[${name}]`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('['));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => l !== '');
};

test('the runtime unit: notify with NotifyAccess=all (systemd-notify is a child), a watchdog, restart on failure', () => {
  const service = section('Service');
  for (const line of ['Type=notify', 'NotifyAccess=all', 'WatchdogSec=30', 'Restart=on-failure', 'ExecStart=/usr/bin/node /opt/rayos/dist/src/daemon/main.js run --data /var/lib/rayos']) {
    assert.ok(service.includes(line), `missing ${line} in\n${unit}`);
  }
  assert.ok(service.includes('Environment="NODE_OPTIONS=--report-on-fatalerror --report-directory=/var/lib/rayos/crash"'));
});

test('repeated failure reboots (the boot then counts as failed), and boot-complete waits for the runtime', () => {
  const unitSection = section('Unit');
  for (const line of ['StartLimitAction=reboot', 'StartLimitBurst=3', 'StartLimitIntervalSec=300', 'Before=boot-complete.target']) assert.ok(unitSection.includes(line), line);
  assert.ok(section('Install').includes('RequiredBy=boot-complete.target'));
});

test('the drop-ins: systemd pets the hardware watchdog; the journal is kept on disk', () => {
  assert.equal(watchdogDropIn(20, 120), '[Manager]\nRuntimeWatchdogSec=20\nRebootWatchdogSec=120\n');
  assert.match(persistentJournalDropIn(), /^\[Journal\]\nStorage=persistent\n/);
  assert.throws(() => watchdogDropIn(0, 10), /positive whole seconds/);
});

test('paths that are not plain absolute paths, and non-positive limits, are refused', () => {
  const base = { node: '/usr/bin/node', runtimeMain: '/opt/rayos/main.js', dataDir: '/var/lib/rayos', ...DEFAULT_RUNTIME_UNIT };
  assert.throws(() => runtimeUnit({ ...base, dataDir: '/var/lib/ray os' }), /plain absolute path/);
  assert.throws(() => runtimeUnit({ ...base, node: 'node' }), /plain absolute path/);
  assert.throws(() => runtimeUnit({ ...base, runtimeMain: '/opt/../etc/x.js' }), /plain absolute path/);
  assert.throws(() => runtimeUnit({ ...base, watchdogSec: 0 }), /positive integer/);
});
