// Tests the client against a fault-injecting peer: typed replies, the runtime's errors, unreadable replies, hangs, absence.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { StatusResponse } from '../contracts/api-types.js';
import { clientForDataDir, createClient, queryString } from './api.js';
import { json, startFakeRuntime, type FakeRuntime } from './fake-runtime.test-support.js';

const STATUS: StatusResponse = {
  state: 'ready',
  pid: 4242,
  startedAt: '2026-01-01T00:00:00.000Z',
  uptimeMs: 1234,
  dataDir: '/data',
  api: { socket: '/data/rayos.sock', url: null },
  versions: { rayos: '0.1.0' },
  services: [{ name: 'storage', state: 'running', dependsOn: [], health: { status: 'ok' }, startedAt: '2026-01-01T00:00:00.000Z', startMs: 3 }],
  bootCount: 1,
};

describe('client without a runtime', () => {
  test('a missing socket is RAYOS_CLI_NOT_RUNNING naming the socket and how to start one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rayos-none-'));
    const client = clientForDataDir(dir);
    try {
      const status = await client.status();
      assert.equal(status.ok, false);
      assert.ok(!status.ok);
      assert.equal(status.error.code, 'RAYOS_CLI_NOT_RUNNING');
      assert.match(status.error.message, new RegExp(`No RayOS runtime answers at ${join(dir, 'rayos.sock')}.*./rayos up`));
    } finally {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a socket path that is a plain file (left behind) is NOT_RUNNING too, and so is a stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rayos-stale-'));
    writeFileSync(join(dir, 'rayos.sock'), '');
    const client = clientForDataDir(dir);
    try {
      const status = await client.status();
      assert.ok(!status.ok && status.error.code === 'RAYOS_CLI_NOT_RUNNING');
      const stream = await client.streamEvents({}, () => assert.fail('no events'), new AbortController().signal);
      assert.ok(!stream.ok && stream.error.code === 'RAYOS_CLI_NOT_RUNNING', JSON.stringify(stream));
    } finally {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('connection refused on TCP is NOT_RUNNING', async () => {
    const client = createClient({ url: 'http://127.0.0.1:1', token: 't' });
    const status = await client.status();
    client.close();
    assert.ok(!status.ok && status.error.code === 'RAYOS_CLI_NOT_RUNNING');
  });
});

describe('client against a scripted peer', () => {
  let fake: FakeRuntime;
  before(async () => {
    fake = await startFakeRuntime();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.seen.length = 0;
    fake.refuseUpgrade = null;
  });

  test('a valid reply is returned typed', async () => {
    fake.onHttp = (_r, res) => json(res, 200, STATUS);
    const client = createClient({ socketPath: fake.socketPath });
    const status = await client.status();
    client.close();
    assert.deepEqual(status, { ok: true, value: STATUS });
    assert.equal(fake.seen[0]?.method, 'GET');
    assert.equal(fake.seen[0]?.url, '/v1/status');
    assert.equal(fake.seen[0]?.headers.authorization, undefined, 'no token on the unix socket');
  });

  test('a reply that fails the route schema is RAYOS_CLI_PROTOCOL naming the field', async () => {
    fake.onHttp = (_r, res) => json(res, 200, { ...STATUS, pid: 'not a number' });
    const client = createClient({ socketPath: fake.socketPath });
    const status = await client.status();
    client.close();
    assert.ok(!status.ok);
    assert.equal(status.error.code, 'RAYOS_CLI_PROTOCOL');
    assert.match(status.error.message, /pid/);
  });

  test('a 200 that is not JSON, and an error status without a RayOS body, are RAYOS_CLI_PROTOCOL', async () => {
    const client = createClient({ socketPath: fake.socketPath });
    fake.onHttp = (_r, res) => json(res, 200, 'not json {');
    const garbled = await client.status();
    fake.onHttp = (_r, res) => json(res, 502, '<html>bad gateway</html>');
    const html = await client.doctor();
    client.close();
    assert.ok(!garbled.ok && garbled.error.code === 'RAYOS_CLI_PROTOCOL');
    assert.ok(!html.ok && html.error.code === 'RAYOS_CLI_PROTOCOL');
    assert.match(html.error.message, /HTTP 502/);
  });

  test("the runtime's error body is returned as it is, including codes newer than this client", async () => {
    const client = createClient({ socketPath: fake.socketPath });
    fake.onHttp = (_r, res) => json(res, 400, { code: 'RAYOS_API_BAD_REQUEST', message: 'The request body is not valid — source: bad.' });
    const known = await client.appendNote({ source: 'cli', message: 'hi' });
    fake.onHttp = (_r, res) => json(res, 409, { code: 'RAYOS_VM_FUTURE_THING', message: 'newer runtime' });
    const newer = await client.status();
    client.close();
    assert.deepEqual(known, { ok: false, error: { code: 'RAYOS_API_BAD_REQUEST', message: 'The request body is not valid — source: bad.' } });
    assert.deepEqual(newer, { ok: false, error: { code: 'RAYOS_VM_FUTURE_THING', message: 'newer runtime' } });
  });

  test('queries and bodies go out as the routes define them', async () => {
    const client = createClient({ socketPath: fake.socketPath });
    fake.onHttp = (r, res) => {
      if (r.url.startsWith('/v1/events')) json(res, 200, { events: [], lastSeq: 0 });
      else if (r.method === 'GET') json(res, 200, { records: [], nextSeq: 1 });
      else if (r.url === '/v1/journal') json(res, 201, { seq: 7, at: '2026-01-01T00:00:00.000Z' });
      else json(res, 202, { accepted: true });
    };
    assert.ok((await client.events({ afterSeq: 5, limit: 10 })).ok);
    assert.ok((await client.journal({ sinceMs: 1000, grep: 'a b&c', afterSeq: undefined })).ok);
    assert.deepEqual(await client.appendNote({ source: 'cli', message: 'hello' }), { ok: true, value: { seq: 7, at: '2026-01-01T00:00:00.000Z' } });
    assert.deepEqual(await client.stop(), { ok: true, value: { accepted: true } });
    client.close();
    assert.deepEqual(
      fake.seen.map((r) => `${r.method} ${r.url}`),
      ['GET /v1/events?afterSeq=5&limit=10', 'GET /v1/journal?sinceMs=1000&grep=a+b%26c', 'POST /v1/journal', 'POST /v1/runtime/stop'],
    );
    assert.deepEqual(JSON.parse(fake.seen[2]?.body ?? ''), { source: 'cli', message: 'hello' });
    assert.equal(fake.seen[2]?.headers['content-type'], 'application/json');
  });

  test('a runtime that accepts but never answers is RAYOS_CLI_TIMEOUT within the deadline', async () => {
    fake.onHttp = () => {}; // Never answers.
    const client = createClient({ socketPath: fake.socketPath }, { timeoutMs: 150 });
    const began = Date.now();
    const status = await client.status();
    client.close();
    assert.ok(!status.ok && status.error.code === 'RAYOS_CLI_TIMEOUT');
    assert.ok(Date.now() - began < 5000);
  });

  test('over TCP the bearer token is sent, on requests and on stream upgrades', async () => {
    const url = await fake.listenTcp();
    fake.onHttp = (_r, res) => json(res, 200, STATUS);
    fake.onWs = (socket) => socket.close(1000);
    const client = createClient({ url, token: 'sekrit' });
    assert.ok((await client.status()).ok);
    assert.deepEqual(await client.streamEvents({ afterSeq: 2 }, () => {}, new AbortController().signal), { ok: true, value: { reason: 'closed' } });
    client.close();
    assert.equal(fake.seen[0]?.headers.authorization, 'Bearer sekrit');
    assert.equal(fake.seen[1]?.method, 'UPGRADE');
    assert.equal(fake.seen[1]?.url, '/v1/events/stream?afterSeq=2');
    assert.equal(fake.seen[1]?.headers.authorization, 'Bearer sekrit');
  });

  test('a stream delivers validated messages until aborted', async () => {
    fake.onWs = (socket) => {
      for (let seq = 1; seq <= 3; seq++) socket.send(JSON.stringify({ seq, at: '2026-01-01T00:00:00.000Z', type: 'note.recorded', data: { seq } }));
    };
    const client = createClient({ socketPath: fake.socketPath });
    const controller = new AbortController();
    const seen: number[] = [];
    const end = await client.streamEvents(
      { afterSeq: 0 },
      (event) => {
        seen.push(event.seq);
        if (seen.length === 3) controller.abort();
      },
      controller.signal,
    );
    client.close();
    assert.deepEqual(end, { ok: true, value: { reason: 'aborted' } });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(fake.seen.at(-1)?.url, '/v1/events/stream?afterSeq=0');
  });

  test('a stream message that fails its schema ends the stream with RAYOS_CLI_PROTOCOL', async () => {
    fake.onWs = (socket) => {
      socket.send(JSON.stringify({ seq: 1, at: 'x', type: 'note', data: {} }));
      socket.send(JSON.stringify({ seq: 'two' }));
    };
    const client = createClient({ socketPath: fake.socketPath });
    const seen: number[] = [];
    const end = await client.streamJournal({ grep: 'x' }, (record) => seen.push(record.seq), new AbortController().signal);
    client.close();
    assert.ok(!end.ok && end.error.code === 'RAYOS_CLI_PROTOCOL', JSON.stringify(end));
    assert.deepEqual(seen, [1]);
  });

  test("a stream the runtime closes with a coded reason returns that error; a refused upgrade returns the runtime's error body", async () => {
    fake.onWs = (socket) => socket.close(1008, 'RAYOS_API_BAD_REQUEST: afterSeq must be a whole number');
    const client = createClient({ socketPath: fake.socketPath });
    const closed = await client.streamEvents({}, () => {}, new AbortController().signal);
    assert.deepEqual(closed, { ok: false, error: { code: 'RAYOS_API_BAD_REQUEST', message: 'afterSeq must be a whole number' } });
    fake.refuseUpgrade = { status: 401, body: JSON.stringify({ code: 'RAYOS_API_UNAUTHORIZED', message: 'Missing token.' }) };
    const refused = await client.streamJournal({}, () => {}, new AbortController().signal);
    client.close();
    assert.deepEqual(refused, { ok: false, error: { code: 'RAYOS_API_UNAUTHORIZED', message: 'Missing token.' } });
  });

  test('a stream the runtime closes on purpose (with or without a status) ends as closed, not as an error', async () => {
    const client = createClient({ socketPath: fake.socketPath });
    for (const close of [(socket: { close(code?: number): void }) => socket.close(), (socket: { close(code?: number): void }) => socket.close(1001)]) {
      fake.onWs = (socket) => close(socket);
      assert.deepEqual(await client.streamJournal({}, () => {}, new AbortController().signal), { ok: true, value: { reason: 'closed' } });
    }
    client.close();
  });

  test('a stream cut off without a close frame is NOT_RUNNING (the runtime went away)', async () => {
    fake.onWs = (socket) => socket.terminate();
    const client = createClient({ socketPath: fake.socketPath });
    const end = await client.streamEvents({}, () => {}, new AbortController().signal);
    client.close();
    assert.ok(!end.ok && end.error.code === 'RAYOS_CLI_NOT_RUNNING', JSON.stringify(end));
  });

  test('an already-aborted signal connects to nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const client = createClient({ socketPath: fake.socketPath });
    const end = await client.streamEvents({}, () => {}, controller.signal);
    client.close();
    assert.deepEqual(end, { ok: true, value: { reason: 'aborted' } });
    assert.equal(fake.seen.length, 0);
  });
});

test("a data dir with ':', '#', '?' or spaces still works, streams included", async () => {
  const odd = await startFakeRuntime('rayos a:b #c?d-');
  odd.onHttp = (_r, res) => json(res, 200, STATUS);
  odd.onWs = (socket) => socket.send(JSON.stringify({ seq: 1, at: 'x', type: 'marker', data: {} }));
  const client = createClient({ socketPath: odd.socketPath });
  try {
    assert.ok((await client.status()).ok);
    const controller = new AbortController();
    const end = await client.streamJournal({ afterSeq: 0 }, () => controller.abort(), controller.signal);
    assert.deepEqual(end, { ok: true, value: { reason: 'aborted' } });
    assert.equal(odd.seen.at(-1)?.url, '/v1/journal/stream?afterSeq=0');
  } finally {
    client.close();
    await odd.close();
  }
});

test('queryString drops undefined entries and encodes the rest', () => {
  assert.equal(queryString(undefined), '');
  assert.equal(queryString({ a: undefined }), '');
  assert.equal(queryString({ afterSeq: 3, grep: 'x y', limit: undefined }), '?afterSeq=3&grep=x+y');
});
