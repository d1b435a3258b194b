// Tests the C guest agent on the host (its --fd test mode), through the real agent client and through raw lines; --keylog's argument checks.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connectAgent, type AgentClient } from '../../src/platform/guest-agent/agent-client.js';
import { compileAgent } from '../builder/agent-compile.js';
import { repoRoot } from '../builder/build-guest.js';

const work = mkdtempSync(join(tmpdir(), 'rayos-agent-host-'));
const agentBin = join(work, 'rayos-agent');
const children = new Set<ChildProcess>();
const servers = new Set<Server>();
let client: AgentClient;

/** Serves the agent behind a unix socket, the way QEMU's chardev does, and connects the real client to it. */
async function startAgent(name: string): Promise<{ client: AgentClient; child: Promise<ChildProcess> }> {
  const path = join(work, `${name}.sock`);
  let gotChild!: (child: ChildProcess) => void;
  const child = new Promise<ChildProcess>((resolve) => (gotChild = resolve));
  const server = createServer((conn: Socket) => {
    const agent = spawn(agentBin, ['--fd', '3'], { stdio: ['ignore', 'inherit', 'inherit', conn] });
    children.add(agent);
    conn.destroy(); // the agent holds its own copy of the connection
    gotChild(agent);
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const connected = await connectAgent(path, { connectTimeoutMs: 5000 });
  assert.ok(connected.ok);
  return { client: connected.value, child };
}

/** An agent on a plain socket pair, for lines the client would never send. */
function rawAgent(): { send(line: string): void; next(): Promise<Record<string, unknown>>; child: ChildProcess } {
  const agent = spawn(agentBin, ['--fd', '3'], { stdio: ['ignore', 'inherit', 'inherit', 'pipe'] });
  children.add(agent);
  const sock = agent.stdio[3] as Socket;
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let partial = '';
  sock.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return {
    send: (line) => sock.write(line),
    next: async () => JSON.parse(lines.shift() ?? (await new Promise<string>((resolve) => waiters.push(resolve)))) as Record<string, unknown>,
    child: agent,
  };
}

before(async () => {
  const root = repoRoot();
  assert.ok(root !== null);
  const built = await compileAgent(join(root, 'guest', 'agent'), agentBin);
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  client = (await startAgent('main')).client;
});

after(async () => {
  await client?.close();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const server of servers) server.close();
  rmSync(work, { recursive: true, force: true });
});

test('hello tells version, protocol, boot id and uptime; served counts every answered request', async () => {
  const hello = await client.hello();
  assert.ok(hello.ok);
  assert.equal(hello.value.agentVersion, '1.0.0');
  assert.equal(hello.value.protocol, 1);
  assert.equal(hello.value.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  assert.ok(hello.value.uptimeMs > 0);
  const ping = await client.ping();
  assert.ok(ping.ok);
  assert.equal(ping.value.served, hello.value.served + 1);
  await client.exec(['no-such-program-rayos'], { timeoutMs: 1000 }); // refused, but answered: it counts
  const again = await client.ping();
  assert.ok(again.ok);
  assert.equal(again.value.served, hello.value.served + 3);
});

test('ping tells the guest CLOCK_REALTIME in whole µs, read between the host sending and receiving it', async () => {
  // Same kernel, same clock: the agent's reading lies inside the host's window (Date.now() floors to whole ms).
  const before = Date.now();
  const ping = await client.ping();
  const after = Date.now();
  assert.ok(ping.ok);
  const us = ping.value.realtimeUs;
  assert.ok(us !== undefined && Number.isInteger(us));
  assert.ok(us >= before * 1000 && us < (after + 1) * 1000, `${us} µs is outside [${before}, ${after}] ms`);
});

test('--keylog with bad arguments exits 2 and says what it wants, before touching any device', () => {
  const cases = [[], ['5'], ['0', '1000'], ['10001', '1000'], ['5', '0'], ['5', '3600001'], ['5', '1.5'], ['-1', '1000'], ['5x', '1000'], ['5', '1000', 'extra']];
  for (const args of cases) {
    const run = spawnSync(agentBin, ['--keylog', ...args], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(run.status, 2, `--keylog ${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, args.length === 2 ? /COUNT must be a whole number from 1 to 10000 and TIMEOUT_MS one from 1 to 3600000/ : /usage: rayos-agent --keylog COUNT TIMEOUT_MS/);
  }
});

test('exec returns exit code, stdout, and stderr with invalid UTF-8 replaced and control bytes intact', async () => {
  const r = await client.exec(['sh', '-c', 'printf "out\\n"; printf "\\377err\\001" >&2; exit 7'], { timeoutMs: 10_000 });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { exitCode: 7, stdout: 'out\n', stderr: '\uFFFDerr\u0001', truncated: false, timedOut: false });
});

test('argv reaches the program byte for byte: unicode, quotes, backslashes, tabs, no shell', async () => {
  const arg = 'é😀 "q" \\ \t $HOME `x` \u2028';
  const r = await client.exec(['printf', '%s', arg], { timeoutMs: 10_000 });
  assert.ok(r.ok);
  assert.equal(r.value.stdout, arg);
});

test('a missing program is RAYOS_GUEST_EXEC_FAILED with the agent code EXEC_NOT_FOUND', async () => {
  const r = await client.exec(['no-such-program-rayos', '--x'], { timeoutMs: 1000 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'RAYOS_GUEST_EXEC_FAILED');
  assert.equal(r.error.details?.['agentCode'], 'EXEC_NOT_FOUND');
});

test('a command past its timeout is killed with its process group: timedOut, exit 128+9', async () => {
  const r = await client.exec(['sh', '-c', 'sleep 30 & sleep 30'], { timeoutMs: 300 });
  assert.ok(r.ok);
  assert.equal(r.value.timedOut, true);
  assert.equal(r.value.exitCode, 137);
});

test('a command that exits while something it started holds its output still gets its answer', async () => {
  // Without the agent's pipe grace the reply would wait for the 30 s sleep and the call would time out.
  const r = await client.exec(['sh', '-c', 'sleep 30 & echo started'], { timeoutMs: 20_000, replyTimeoutMs: 10_000 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.stdout, 'started\n');
  assert.equal(r.value.timedOut, false);
});

test('output over 1 MiB is cut at exactly 1 MiB with truncated=true', async () => {
  const r = await client.exec(['sh', '-c', 'head -c 1100000 /dev/zero | tr "\\0" a'], { timeoutMs: 20_000 });
  assert.ok(r.ok);
  assert.equal(r.value.stdout.length, 1024 * 1024);
  assert.ok(/^a+$/.test(r.value.stdout));
  assert.equal(r.value.truncated, true);
});

test('output that would escape past the line limit is cut further, and the reply stays one valid line', async () => {
  const r = await client.exec(['head', '-c', '1048576', '/dev/zero'], { timeoutMs: 20_000 });
  assert.ok(r.ok);
  assert.equal(r.value.truncated, true);
  assert.ok(r.value.stdout.length > 100_000 && r.value.stdout.length < 1024 * 1024);
  assert.ok(/^\0+$/.test(r.value.stdout));
});

test('bad requests are refused with BAD_REQUEST or UNKNOWN_OP, and the agent keeps serving', async () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['frobnicate', {}, 'UNKNOWN_OP'],
    ['exec', { argv: [], timeoutMs: 1000 }, 'BAD_REQUEST'],
    ['exec', { argv: ['true'] }, 'BAD_REQUEST'],
    ['exec', { argv: ['true'], timeoutMs: 0 }, 'BAD_REQUEST'],
    ['exec', { argv: ['true'], timeoutMs: 1.5 }, 'BAD_REQUEST'],
    ['exec', { argv: ['a\u0000b'], timeoutMs: 1000 }, 'BAD_REQUEST'],
    ['exec', { argv: ['true', 3], timeoutMs: 1000 }, 'BAD_REQUEST'],
    ['exec', { argv: Array.from({ length: 257 }, () => 'x'), timeoutMs: 1000 }, 'BAD_REQUEST'],
    ['shutdown', { mode: 'halt' }, 'BAD_REQUEST'],
    ['ping', { v: 2 }, 'BAD_REQUEST'],
  ];
  for (const [op, fields, code] of cases) {
    const reply = await client.request(op, fields);
    assert.ok(reply.ok, `${op} ${JSON.stringify(fields).slice(0, 60)}`);
    assert.equal(reply.value.ok, false);
    assert.equal(reply.value.ok ? '' : reply.value.error.code, code, `${op} ${JSON.stringify(fields).slice(0, 60)}`);
  }
  const ping = await client.ping();
  assert.ok(ping.ok);
  const unknownFields = await client.request('ping', { extra: { nested: [1, 'two', null, true, { deep: -1.5e3 }] } });
  assert.ok(unknownFields.ok && unknownFields.value.ok, 'unknown fields are ignored, as the schema does');
});

test('lines that are not a request get BAD_REQUEST (id 0 when no id could be read), then serving goes on', async () => {
  const raw = rawAgent();
  raw.send('not json\n');
  assert.deepEqual(await raw.next(), { v: 1, id: 0, ok: false, error: { code: 'BAD_REQUEST', message: 'a request must be a JSON object' } });
  raw.send('{"v":1,"id":5,"op":"ping"} trailing\n');
  assert.equal((await raw.next())['id'], 5);
  raw.send(`{"v":1,"id":6,"op":"ping","x":${'['.repeat(100)}${']'.repeat(100)}}\n`);
  assert.deepEqual((await raw.next())['error'], { code: 'BAD_REQUEST', message: 'nested too deeply' });
  raw.send('{"v":1,"id":7,"op":"pi\\u006eg"}\r\n\n{"v":1,"id":8,"op":"exec","argv":["printf","%s","\\ud83d\\ude00\\ud800"],"timeoutMs":5000}\n');
  assert.equal((await raw.next())['ok'], true);
  const exec = await raw.next();
  assert.equal((exec['result'] as { stdout: string }).stdout, '😀\uFFFD', 'surrogate pair decoded, lone surrogate replaced');
  raw.send(`{"v":1,"id":9,"op":"exec","argv":["${'x'.repeat(4 * 1024 * 1024)}"],"timeoutMs":5000}\n`);
  assert.deepEqual((await raw.next())['error'], { code: 'BAD_REQUEST', message: 'line longer than the protocol maximum' });
  raw.send('{"v":1,"id":10,"op":"ping"}\n');
  assert.equal((await raw.next())['id'], 10);
  const exited = new Promise<number | null>((resolve) => raw.child.on('exit', (code) => resolve(code)));
  (raw.child.stdio[3] as Socket).end();
  assert.equal(await exited, 0, 'in test mode the agent ends when its socket does');
});

test('shutdown is answered before the agent acts on it (test mode: it only exits), and the client sees the close', async () => {
  const started = await startAgent('shutdown');
  const closed = new Promise<string>((resolve) => started.client.onClose((reason) => resolve(reason.code)));
  const r = await started.client.shutdown('poweroff');
  assert.ok(r.ok);
  assert.deepEqual(r.value, { accepted: true });
  const child = await started.child;
  const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))));
  assert.equal(code, 0);
  assert.equal(await closed, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
  const after = await started.client.ping();
  assert.ok(!after.ok);
  assert.equal(after.error.code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
});
