// Tests the QEMU guest agent link against fake agents on a unix socket (QEMU's chardev end): readiness on a sync it sent, none in time said as such, stale and foreign replies ignored, shutdown.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { QgaLink } from './qga-link.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-qga-'));
const servers: Server[] = [];
const links: QgaLink[] = [];
after(() => {
  for (const link of links) link.close();
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** qemu-ga's answer to guest-sync-delimited: the 0xFF byte, then the id. */
const reply = (id: unknown): Buffer => Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"return": ${String(id)}}\n`)]);

/** A fake QEMU chardev with qemu-ga behind it: `answer` decides what each request line gets back. */
async function fakeAgent(name: string, answer: (request: { execute: string; arguments?: { id?: number } }, socket: Socket) => void): Promise<{ path: string; requests: string[] }> {
  const path = join(dir, `${name}.sock`);
  const requests: string[] = [];
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
        const line = text.slice(0, end);
        text = text.slice(end + 1);
        requests.push(line);
        answer(JSON.parse(line) as { execute: string; arguments?: { id?: number } }, socket);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, requests };
}

function link(path: string, readyTimeoutMs: number): { link: QgaLink; events: string[]; next: () => Promise<string> } {
  const events: string[] = [];
  let wake: (() => void) | null = null;
  const push = (event: string) => {
    events.push(event);
    wake?.();
  };
  const made = new QgaLink({ socketPath: path, readyTimeoutMs, onReady: () => push('ready'), onNoAgent: () => push('no-agent') });
  links.push(made);
  made.open();
  const next = async (): Promise<string> => {
    const seen = events.length;
    while (events.length === seen) await new Promise<void>((resolve) => (wake = resolve));
    return events.at(-1)!;
  };
  return { link: made, events, next };
}

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
