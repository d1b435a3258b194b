// Tests guest-exec through the QEMU guest agent link against fake agents: output and exit codes decoded, requests matched by id, the agent's refusals, lies, hangs and drops each said as such.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, test } from 'node:test';
import { qgaExec } from './qga-exec.js';
import { qgaBench, type FakeQgaRequest } from './qga.test-support.js';

const { reply, fakeAgent, link, cleanup } = qgaBench();
after(cleanup);

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const answer = (socket: Socket, request: FakeQgaRequest, body: unknown): void => void socket.write(`${JSON.stringify({ ...(body as object), id: request.id })}\n`);

/** A ready link to an agent that syncs, then hands every other request to `other`. */
async function readyLink(name: string, other: (request: FakeQgaRequest, socket: Socket) => void) {
  const agent = await fakeAgent(name, (request, socket) => {
    if (request.execute === 'guest-sync-delimited') socket.write(reply(request.arguments?.id));
    else other(request, socket);
  });
  const made = link(agent.path, 10_000);
  assert.equal(await made.next(), 'ready');
  return { qga: made.link, requests: agent.requests };
}

test('a command runs: guest-exec with its arguments, status polled until it exits, output decoded', async () => {
  let polls = 0;
  const { qga, requests } = await readyLink('exec', (request, socket) => {
    if (request.execute === 'guest-exec') return answer(socket, request, { return: { pid: 4242 } });
    polls += 1;
    if (polls < 3) return answer(socket, request, { return: { exited: false } });
    answer(socket, request, { return: { exited: true, exitcode: 3, 'out-data': b64('héllo\n'), 'err-data': b64('warn\n') } });
  });
  const result = await qgaExec(qga, ['/bin/sh', '-c', 'echo hello; exit 3'], 10_000);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value, { exitCode: 3, stdout: 'héllo\n', stderr: 'warn\n', truncated: false, timedOut: false });
  const sent = requests.filter((line) => !line.includes('guest-sync-delimited')).map((line) => JSON.parse(line) as FakeQgaRequest);
  assert.deepEqual(sent[0]?.arguments, { path: '/bin/sh', arg: ['-c', 'echo hello; exit 3'], 'capture-output': true });
  assert.deepEqual(sent.slice(1).map((r) => [r.execute, r.arguments?.['pid']]), [['guest-exec-status', 4242], ['guest-exec-status', 4242], ['guest-exec-status', 4242]]);
  assert.equal(new Set(sent.map((r) => r.id)).size, sent.length, 'every request has its own id');
});

test('a process killed by a signal reads as 128 + N; truncated output is said', async () => {
  const { qga } = await readyLink('signal', (request, socket) => {
    if (request.execute === 'guest-exec') return answer(socket, request, { return: { pid: 7 } });
    answer(socket, request, { return: { exited: true, signal: 9, 'out-data': b64('partial'), 'out-truncated': true } });
  });
  const result = await qgaExec(qga, ['sleep', '100'], 10_000);
  assert.ok(result.ok);
  assert.deepEqual([result.value.exitCode, result.value.stdout, result.value.truncated], [137, 'partial', true]);
});

test('the agent refusing to start a command is RAYOS_GUEST_EXEC_FAILED with its own words', async () => {
  const { qga } = await readyLink('refuse', (request, socket) => {
    answer(socket, request, { error: { class: 'GenericError', desc: "Guest agent command failed, error was 'Failed to execute child process \u201cnope\u201d (No such file or directory)'" } });
  });
  const result = await qgaExec(qga, ['nope'], 10_000);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_GUEST_EXEC_FAILED');
  assert.match(result.error.message, /refused: .*nope.*No such file or directory/);
});

test('a command still running when the time is up is reported timedOut, not waited for forever', async () => {
  const { qga } = await readyLink('slow', (request, socket) => {
    answer(socket, request, request.execute === 'guest-exec' ? { return: { pid: 9 } } : { return: { exited: false } });
  });
  const result = await qgaExec(qga, ['sleep', '1000'], 300);
  assert.ok(result.ok);
  assert.deepEqual(result.value, { exitCode: -1, stdout: '', stderr: '', truncated: false, timedOut: true });
});

test('replies to ids the link never sent are ignored; a status that is not the protocol is RAYOS_GUEST_AGENT_PROTOCOL', async () => {
  const { qga } = await readyLink('liar', (request, socket) => {
    socket.write(`${JSON.stringify({ return: { pid: 666 }, id: 'rayos-999999' })}\n{"return": {"pid": 1}}\n`);
    if (request.execute === 'guest-exec') return answer(socket, request, { return: { pid: 12 } });
    answer(socket, request, { return: { exited: true, exitcode: 0, 'out-data': '%%% not base64 %%%' } });
  });
  const result = await qgaExec(qga, ['true'], 10_000);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_GUEST_AGENT_PROTOCOL');
  assert.match(result.error.message, /guest-exec-status/);
});

test('a link whose agent never answered refuses at once; a connection that drops fails the request in flight', async () => {
  const silent = await fakeAgent('silent', () => undefined);
  const notReady = await qgaExec(link(silent.path, 10_000).link, ['true'], 10_000);
  assert.ok(!notReady.ok);
  assert.equal(notReady.error.code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');

  const { qga } = await readyLink('drop', (_request, socket) => socket.destroy());
  const dropped = await qgaExec(qga, ['true'], 10_000);
  assert.ok(!dropped.ok);
  assert.equal(dropped.error.code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
  assert.match(dropped.error.message, /dropped/);
});
