// Tests the control API's boundaries on a real runtime: tokens, body shape and size, unknown routes, rate limits, OpenAPI.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RuntimeInfoSchema } from '../../src/contracts/api-types.js';
import { rawRequest, type Target } from '../support/raw-http.js';
import { startReadyRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';

describe('API boundaries', () => {
  const { dir, cleanup } = tempDataDir();
  let runtime: RuntimeProcess;
  let tcp: Target;
  let unix: Target;
  let auth: Record<string, string>;

  before(async () => {
    // A small rate limit window so the limiter can be seen without thousands of requests.
    runtime = await startReadyRuntime(dir, ['--set', 'api.rateLimit.max=40', '--set', 'api.rateLimit.windowMs=60000', '--set', 'api.bodyLimitBytes=4096']);
    const info = RuntimeInfoSchema.parse(JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')));
    assert.ok(info.url);
    tcp = { url: info.url };
    unix = { socketPath: info.socket };
    auth = { authorization: `Bearer ${readFileSync(join(dir, 'api-token'), 'utf8').trim()}` };
  });
  after(async () => {
    await stopRuntime(runtime);
    cleanup();
  });

  const journalNotes = async () => {
    const page = await rawRequest(unix, 'GET', '/v1/journal?grep=%22note%22&limit=10000');
    return (page.body as { records: { type: string }[] }).records.filter((r) => r.type === 'note').length;
  };

  test('TCP without a token, or with a wrong one, is refused with RAYOS_API_UNAUTHORIZED and changes nothing', async () => {
    const before = await journalNotes();
    const none = await rawRequest(tcp, 'GET', '/v1/status');
    assert.equal(none.status, 401);
    assert.equal((none.body as { code: string }).code, 'RAYOS_API_UNAUTHORIZED');
    const wrong = await rawRequest(tcp, 'POST', '/v1/journal', { headers: { authorization: 'Bearer 00', 'content-type': 'application/json' }, body: JSON.stringify({ source: 'x', message: 'm' }) });
    assert.equal(wrong.status, 401);
    assert.equal(await journalNotes(), before);
    const right = await rawRequest(tcp, 'GET', '/v1/status', { headers: auth });
    assert.equal(right.status, 200);
  });

  test('the unix socket needs no token (its 0600 mode is the authentication)', async () => {
    const status = await rawRequest(unix, 'GET', '/v1/status');
    assert.equal(status.status, 200);
  });

  test('bodies of the wrong shape are refused with a message that names the field, and nothing is journaled', async () => {
    const before = await journalNotes();
    const cases: [string, string][] = [
      ['{"source":"cli"}', 'message'],
      ['{"source":"a b","message":"hi"}', 'source'],
      ['{"source":"cli","message":"hi","extra":1}', 'extra'],
      ['[1,2,3]', 'expected object'],
    ];
    for (const [body, mentions] of cases) {
      const reply = await rawRequest(unix, 'POST', '/v1/journal', { headers: { 'content-type': 'application/json' }, body });
      assert.equal(reply.status, 400, body);
      const error = reply.body as { code: string; message: string };
      assert.equal(error.code, 'RAYOS_API_BAD_REQUEST');
      assert.ok(error.message.includes(mentions), `${error.message} should mention ${mentions}`);
    }
    const notJson = await rawRequest(unix, 'POST', '/v1/journal', { headers: { 'content-type': 'application/json' }, body: '{"source":' });
    assert.equal(notJson.status, 400);
    assert.equal((notJson.body as { code: string }).code, 'RAYOS_API_BAD_REQUEST');
    const badQuery = await rawRequest(unix, 'GET', '/v1/journal?limit=lots');
    assert.equal(badQuery.status, 400);
    assert.equal(await journalNotes(), before);
  });

  test('a body over the limit is refused with 413 RAYOS_API_BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({ source: 'cli', message: 'x'.repeat(8000) });
    const reply = await rawRequest(unix, 'POST', '/v1/journal', { headers: { 'content-type': 'application/json' }, body: big });
    assert.equal(reply.status, 413);
    assert.equal((reply.body as { code: string }).code, 'RAYOS_API_BODY_TOO_LARGE');
  });

  test('an unknown route is 404 RAYOS_API_NOT_FOUND', async () => {
    const reply = await rawRequest(unix, 'GET', '/v1/nope');
    assert.equal(reply.status, 404);
    assert.equal((reply.body as { code: string }).code, 'RAYOS_API_NOT_FOUND');
  });

  test('a valid note is acknowledged with its sequence and can be read back', async () => {
    const reply = await rawRequest(unix, 'POST', '/v1/journal', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'test', message: 'hello journal' }) });
    assert.equal(reply.status, 201);
    const { seq } = reply.body as { seq: number };
    const page = await rawRequest(unix, 'GET', `/v1/journal?afterSeq=${seq - 1}&limit=1`);
    const records = (page.body as { records: { seq: number; type: string; data: { message: string } }[] }).records;
    assert.equal(records[0]?.seq, seq);
    assert.equal(records[0]?.data.message, 'hello journal');
  });

  test('the OpenAPI document describes every route', async () => {
    const reply = await rawRequest(unix, 'GET', '/v1/openapi.json');
    assert.equal(reply.status, 200);
    const doc = reply.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/v1/status', '/v1/doctor', '/v1/events', '/v1/journal', '/v1/runtime/stop', '/v1/events/stream']) assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/v1/journal']?.['post']);
  });

  // Last: it uses up this client's window.
  test('a client over its rate limit gets 429 RAYOS_API_RATE_LIMITED; other clients are unaffected', async () => {
    const replies = await Promise.all(Array.from({ length: 60 }, () => rawRequest(tcp, 'GET', '/v1/status', { headers: auth })));
    const limited = replies.filter((r) => r.status === 429);
    assert.ok(limited.length >= 15, `expected some 429s, got ${limited.length}`);
    assert.equal((limited[0]?.body as { code: string }).code, 'RAYOS_API_RATE_LIMITED');
    assert.ok(replies.filter((r) => r.status === 200).length <= 40);
    assert.equal((await rawRequest(unix, 'GET', '/v1/status')).status, 200);
  });
});
