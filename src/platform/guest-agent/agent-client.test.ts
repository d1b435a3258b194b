// Tests the agent client against a scripted fake agent: connect retries, timeouts, stale ids, bad replies, close.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectAgent } from './agent-client.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-agent-client-'));
const servers = new Set<Server>();
after(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

type Request = { v: number; id: number; op: string; [k: string]: unknown };

/** A fake agent: `answer` decides what to write back for each request line (nothing when it returns null). */
async function fakeAgent(name: string, answer: (req: Request, conn: Socket) => string | null): Promise<{ path: string; server: Server; conns: Socket[] }> {
  const path = join(dir, `${name}.sock`);
  const conns: Socket[] = [];
  const server = createServer((conn) => {
    conns.push(conn);
    let partial = '';
    conn.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
        const req = JSON.parse(partial.slice(0, nl)) as Request;
        partial = partial.slice(nl + 1);
        const out = answer(req, conn);
        if (out !== null) conn.write(out);
      }
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, server, conns };
}

const okReply = (id: number, result: unknown): string => `${JSON.stringify({ v: 1, id, ok: true, result })}\n`;
const hello = { agentVersion: '1.0.0', protocol: 1, bootId: 'boot-1', uptimeMs: 1234, served: 0 };

test('connectAgent waits for a socket that appears later, and gives up with UNAVAILABLE when none does', async () => {
  const path = join(dir, 'late.sock');
  const pending = connectAgent(path, { connectTimeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 300));
  const server = createServer(() => {});
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const connected = await pending;
  assert.ok(connected.ok);
  await connected.value.close();

  const missing = await connectAgent(join(dir, 'never.sock'), { connectTimeoutMs: 200 });
  assert.ok(!missing.ok);
  assert.equal(missing.error.code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
});

test('typed calls send v/id/op and return the validated result', async () => {
  const seen: Request[] = [];
  const agent = await fakeAgent('typed', (req) => {
    seen.push(req);
    if (req.op === 'hello') return okReply(req.id, hello);
    if (req.op === 'exec') return okReply(req.id, { exitCode: 0, stdout: 'x', stderr: '', truncated: false, timedOut: false });
    if (req.op === 'shutdown') return okReply(req.id, { accepted: true });
    return okReply(req.id, { uptimeMs: 5, served: 1 });
  });
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  assert.deepEqual(await c.value.hello(), { ok: true, value: hello });
  assert.deepEqual(await c.value.ping(), { ok: true, value: { uptimeMs: 5, served: 1 } });
  const exec = await c.value.exec(['uname', '-a'], { timeoutMs: 1000 });
  assert.ok(exec.ok);
  assert.equal(exec.value.stdout, 'x');
  assert.deepEqual(await c.value.shutdown('reboot'), { ok: true, value: { accepted: true } });
  assert.deepEqual(seen.map((r) => [r.v, r.op]), [[1, 'hello'], [1, 'ping'], [1, 'exec'], [1, 'shutdown']]);
  assert.equal(new Set(seen.map((r) => r.id)).size, 4, 'fresh ids');
  assert.deepEqual([seen[2]?.['argv'], seen[2]?.['timeoutMs'], seen[3]?.['mode']], [['uname', '-a'], 1000, 'reboot']);
  await c.value.close();
});

test('an unanswered request times out; its late reply and replies to unknown ids are ignored', async () => {
  let held: { id: number; conn: Socket } | null = null;
  const agent = await fakeAgent('stale', (req, conn) => {
    if (req.op === 'hello' && held === null) {
      held = { id: req.id, conn };
      return null;
    }
    return okReply(req.id, { uptimeMs: 1, served: 2 });
  });
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  const timedOut = await c.value.hello({ timeoutMs: 100 });
  assert.ok(!timedOut.ok);
  assert.equal(timedOut.error.code, 'RAYOS_GUEST_AGENT_TIMEOUT');
  const stale = held as { id: number; conn: Socket } | null;
  assert.ok(stale !== null);
  stale.conn.write(okReply(stale.id, hello)); // too late: nobody waits for it
  stale.conn.write(okReply(9999, hello));
  stale.conn.write('garbage that is not json\n');
  const ping = await c.value.ping();
  assert.deepEqual(ping, { ok: true, value: { uptimeMs: 1, served: 2 } });
  await c.value.close();
});

test('waitForHello keeps asking until the guest answers, and times out when it never does', async () => {
  let asked = 0;
  const agent = await fakeAgent('boot', (req) => (req.op === 'hello' && ++asked >= 3 ? okReply(req.id, { ...hello, served: asked }) : null));
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  const got = await c.value.waitForHello({ deadlineMs: 10_000, intervalMs: 50 });
  assert.ok(got.ok);
  assert.equal(got.value.served, 3);
  await c.value.close();

  const silent = await fakeAgent('silent', () => null);
  const s = await connectAgent(silent.path);
  assert.ok(s.ok);
  const never = await s.value.waitForHello({ deadlineMs: 300, intervalMs: 50 });
  assert.ok(!never.ok);
  assert.equal(never.error.code, 'RAYOS_GUEST_AGENT_TIMEOUT');
  await s.value.close();
});

test('a reply of the wrong shape is RAYOS_GUEST_AGENT_PROTOCOL; agent refusals map to exec or protocol errors', async () => {
  const agent = await fakeAgent('bad', (req) => {
    if (req.op === 'hello') return okReply(req.id, { agentVersion: 1 });
    if (req.op === 'ping') return `${JSON.stringify({ v: 1, id: req.id, ok: 'yes' })}\n`;
    if (req.op === 'exec') return `${JSON.stringify({ v: 1, id: req.id, ok: false, error: { code: 'EXEC_NOT_FOUND', message: 'nope: No such file' } })}\n`;
    return `${JSON.stringify({ v: 1, id: req.id, ok: false, error: { code: 'BAD_REQUEST', message: 'mode' } })}\n`;
  });
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  const h = await c.value.hello();
  assert.ok(!h.ok);
  assert.equal(h.error.code, 'RAYOS_GUEST_AGENT_PROTOCOL');
  const p = await c.value.ping();
  assert.ok(!p.ok);
  assert.equal(p.error.code, 'RAYOS_GUEST_AGENT_PROTOCOL');
  const e = await c.value.exec(['nope'], { timeoutMs: 100 });
  assert.ok(!e.ok);
  assert.equal(e.error.code, 'RAYOS_GUEST_EXEC_FAILED');
  assert.equal(e.error.details?.['agentCode'], 'EXEC_NOT_FOUND');
  const s = await c.value.shutdown('poweroff');
  assert.ok(!s.ok);
  assert.equal(s.error.code, 'RAYOS_GUEST_AGENT_PROTOCOL');
  await c.value.close();
});

test('exec arguments outside the protocol are refused before anything is sent', async () => {
  let sent = 0;
  const agent = await fakeAgent('args', (req) => {
    sent++;
    return okReply(req.id, { uptimeMs: 1, served: 0 });
  });
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  for (const [argv, timeoutMs] of [[[], 1000], [['x'], 0], [['x'], 1.5], [['x'], 3_600_001]] as const) {
    const r = await c.value.exec(argv, { timeoutMs });
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'RAYOS_GUEST_EXEC_FAILED');
  }
  assert.ok((await c.value.ping()).ok);
  assert.equal(sent, 1, 'only the ping went out');
  await c.value.close();
});

test('replies split across chunks and several per chunk are all delivered; an over-long line is dropped', async () => {
  const agent = await fakeAgent('chunks', () => null);
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  const a = c.value.ping({ timeoutMs: 2000 });
  const b = c.value.ping({ timeoutMs: 2000 });
  const d = c.value.ping({ timeoutMs: 300 });
  await new Promise((r) => setTimeout(r, 50));
  const conn = agent.conns[0] as Socket;
  const both = okReply(1, { uptimeMs: 1, served: 1 }) + okReply(2, { uptimeMs: 2, served: 2 });
  conn.write(both.slice(0, 10));
  await new Promise((r) => setTimeout(r, 20));
  conn.write(both.slice(10));
  // A reply for id 3 hidden in a line longer than the protocol allows must not be taken.
  conn.write(`{"v":1,"id":3,"ok":true,"result":{"uptimeMs":3,"served":3},"pad":"${'x'.repeat(4 * 1024 * 1024)}"}\n`);
  assert.deepEqual(await a, { ok: true, value: { uptimeMs: 1, served: 1 } });
  assert.deepEqual(await b, { ok: true, value: { uptimeMs: 2, served: 2 } });
  const dropped = await d;
  assert.ok(!dropped.ok);
  assert.equal(dropped.error.code, 'RAYOS_GUEST_AGENT_TIMEOUT');
  await c.value.close();
});

test('when the connection ends, waiting calls fail UNAVAILABLE, onClose fires once, later calls fail at once', async () => {
  const agent = await fakeAgent('drop', () => null);
  const c = await connectAgent(agent.path);
  assert.ok(c.ok);
  const reasons: string[] = [];
  c.value.onClose((r) => reasons.push(r.code));
  const waiting = c.value.hello({ timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 50));
  for (const conn of agent.conns) conn.destroy();
  const r = await waiting;
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
  assert.ok(c.value.closed);
  const later = await c.value.ping();
  assert.ok(!later.ok);
  assert.equal(later.error.code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
  await c.value.close();
  assert.deepEqual(reasons, ['RAYOS_GUEST_AGENT_UNAVAILABLE']);
  const lateListener = await new Promise<string>((resolve) => c.value.onClose((reason) => resolve(reason.code)));
  assert.equal(lateListener, 'RAYOS_GUEST_AGENT_UNAVAILABLE', 'a listener added after the end still hears it');
});
