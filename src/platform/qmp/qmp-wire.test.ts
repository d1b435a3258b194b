// Tests QMP line framing and message classification: split chunks, multi-byte text, the size limit, and what counts as invalid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQmpLine, QmpLineSplitter } from './qmp-wire.js';

test('lines split across chunks, CRLF endings and a character cut in half come out whole', () => {
  const splitter = new QmpLineSplitter(1024);
  const text = Buffer.from('{"return": "größe"}\r\n\r\n{"return": 2}\n{"ret');
  const cut = text.indexOf(Buffer.from('ö')) + 1; // inside the two bytes of ö
  assert.deepEqual(splitter.push(text.subarray(0, cut)), { lines: [], overflow: false });
  assert.deepEqual(splitter.push(text.subarray(cut)), { lines: ['{"return": "größe"}\r', '{"return": 2}'], overflow: false });
  assert.deepEqual(splitter.push(Buffer.from('urn": 3}\n')), { lines: ['{"return": 3}'], overflow: false });
});

test('a line over the limit is an overflow; the lines before it still count', () => {
  const splitter = new QmpLineSplitter(16);
  assert.deepEqual(splitter.push(Buffer.from('{"return": 1}\n' + 'x'.repeat(17))), { lines: ['{"return": 1}'], overflow: true });
  const unterminated = new QmpLineSplitter(16);
  assert.deepEqual(unterminated.push(Buffer.from('x'.repeat(10))), { lines: [], overflow: false });
  assert.deepEqual(unterminated.push(Buffer.from('x'.repeat(10))), { lines: [], overflow: true });
  const exact = new QmpLineSplitter(4);
  assert.deepEqual(exact.push(Buffer.from('1234\n')), { lines: ['1234'], overflow: false });
});

test('parseQmpLine classifies greetings, replies, errors and events', () => {
  const greeting = parseQmpLine('{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "x"}, "capabilities": ["oob"]}}');
  assert.equal(greeting.kind, 'greeting');
  assert.deepEqual(parseQmpLine('{"return": {}, "id": 3}'), { kind: 'return', id: 3, untrustedValue: {} });
  assert.deepEqual(parseQmpLine('{"id": 7, "error": {"class": "CommandNotFound", "desc": "nope"}}'), { kind: 'error', id: 7, errorClass: 'CommandNotFound', desc: 'nope' });
  const event = parseQmpLine('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}');
  assert.deepEqual(event, {
    kind: 'event',
    event: { known: true, name: 'SHUTDOWN', data: { guest: true, reason: 'guest-shutdown' }, timestamp: { seconds: 1, microseconds: 2 } },
  });
  const stop = parseQmpLine('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}');
  assert.ok(stop.kind === 'event' && stop.event.known && stop.event.name === 'STOP');
});

test('parseQmpLine calls anything else invalid', () => {
  for (const line of [
    'not json',
    '[1, 2]',
    'null',
    '{"hello": 1}',
    '{"return": {}}',
    '{"error": {"class": "GenericError", "desc": "Invalid JSON"}}',
    '{"error": "boom", "id": 1}',
    '{"event": "STOP"}',
    '{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}, "data": [1]}',
    '{"QMP": {"version": "7.2"}}',
  ]) {
    assert.equal(parseQmpLine(line).kind, 'invalid', line);
  }
});
