// Tests the QEMU guest agent link against fake agents on a unix socket (QEMU's chardev end): readiness on a sync it sent, none in time said as such, stale and foreign replies ignored, shutdown.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { qgaBench } from './qga.test-support.js';

const { dir, reply, fakeAgent, link, cleanup } = qgaBench();
after(cleanup);
const servers: Server[] = [];
after(() => servers.forEach((server) => server.close()));

test('an agent that answers guest-sync-delimited (0xFF, then the id) makes the link ready, once', async () => {
  const agent = await fakeAgent('good', (request, socket) => {
    if (request.execute === 'guest-sync-delimited') socket.write(reply(request.arguments?.id));
  });
  const { link: qga, events, next } = link(agent.path, 10_000);
  assert.equal(await next(), 'ready');
  assert.equal(qga.ready, true);
  assert.equal(qga.noAgent, false);
  assert.deepEqual(events, ['ready']);
  assert.match(agent.requests[0] ?? '', /^\{"execute":"guest-sync-delimited","arguments":\{"id":\d+\}\}$/);
  assert.equal(qga.shutdown(), true);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(agent.requests.at(-1), '{"execute":"guest-shutdown","arguments":{"mode":"powerdown"}}');
});

test('no answer within the timeout is NO_AGENT (and no shutdown is offered); an answer after it is still readiness', async () => {
  let answering = false;
  const agent = await fakeAgent('late', (request, socket) => {
    if (answering && request.execute === 'guest-sync-delimited') socket.write(reply(request.arguments?.id));
  });
  const { link: qga, next } = link(agent.path, 300);
  assert.equal(await next(), 'no-agent');
  assert.equal(qga.noAgent, true);
  assert.equal(qga.shutdown(), false);
  answering = true;
  assert.equal(await next(), 'ready', 'the next periodic sync is answered');
  assert.equal(qga.noAgent, false);
});

test('a reply with an id this link never sent, garbage, and half a stale reply before the sentinel are ignored', async () => {
  const agent = await fakeAgent('noisy', (request, socket) => {
    if (request.execute !== 'guest-sync-delimited') return;
    socket.write('not json at all\n{"return": 7}\n{"return": "x"}\n{"retu');
    setTimeout(() => socket.write(reply(request.arguments?.id)), 100);
  });
  const { link: qga, events, next } = link(agent.path, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(qga.ready, false, 'a foreign id is no readiness');
  assert.equal(await next(), 'ready');
  assert.deepEqual(events, ['ready']);
});

test('a socket that is not there yet (QEMU starting) is retried until it is', async () => {
  const path = join(dir, 'later.sock');
  const { next } = link(path, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const server = createServer((socket) =>
    socket.on('data', (chunk) => {
      const request = JSON.parse(chunk.toString().split('\n')[0]!) as { arguments: { id: number } };
      socket.write(reply(request.arguments.id));
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  assert.equal(await next(), 'ready');
});
