// Tests the LLM second opinion against an OpenAI-compatible peer on a local port (one that answers, one that hangs, one that lies): what it proposes passes RayOS's own checks or is set aside, and a slow or missing backend leaves the embedded answer standing, saying so.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { IntentDecision, Scene } from '../../contracts/intent.js';
import { llamaLocalBackend } from '../../platform/llm/llama-local.js';
import { openAiCompatibleBackend } from '../../platform/llm/openai-compatible.js';
import { resolveIntent } from '../cognition/api.js';
import { createLlmRefiner } from './llm-refiner.js';

const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'linux', type: 'vm', label: 'Linux', state: { power: 'running', presented: false, network: 'off' } },
    { id: 'windows', type: 'vm', label: 'Windows', state: { power: 'paused', presented: false, network: 'off' } },
  ],
};
const input = { scene, history: [], utterance: { t: 0, text: 'put the penguin box to sleep for a bit' } };
const unsure: IntentDecision = { decision: 'out_of_scope', action: null, target: null, slots: {}, options: [], question: null, message: 'no command', confidence: 0.2, candidates: [], trace: [{ stage: 'decision', detail: 'embedded: out of scope' }] };

/** What the peer says next: a chat completion with this content, or nothing at all (hang), or a broken body. */
let reply: { kind: 'content'; content: string } | { kind: 'hang' } | { kind: 'broken' } = { kind: 'hang' };
let lastRequest: { response_format?: { json_schema?: { schema?: { properties?: { action?: { enum?: string[] } } } } } } | null = null;

describe('the LLM second opinion', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (c: Buffer) => (body += c.toString()));
      request.on('end', () => {
        lastRequest = JSON.parse(body) as typeof lastRequest;
        if (reply.kind === 'hang') return; // never answers
        if (reply.kind === 'broken') return void response.end('{"choices": [');
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ choices: [{ message: { content: reply.content } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const refine = (timeoutMs = 2000) => createLlmRefiner(openAiCompatibleBackend({ url, model: 'test', apiKey: null }), resolveIntent, timeoutMs);

  test("a proposal is checked by the embedded engine: pause linux becomes an executed intent with both readings in its trace; the schema's enums are the registry's actions", async () => {
    reply = { kind: 'content', content: JSON.stringify({ action: 'pause', target: 'linux', slots: {} }) };
    const decided = await refine()(input, null, unsure);
    assert.deepEqual([decided.decision, decided.action, decided.target], ['execute', 'pause', 'linux']);
    assert.ok(decided.trace.some((t) => t.stage === 'llm' && /read it as pause on linux/.test(t.detail)));
    const actions = lastRequest?.response_format?.json_schema?.schema?.properties?.action?.enum ?? [];
    assert.ok(actions.includes('pause') && actions.includes('none'));
  });

  test('a proposal that fails a precondition is not executed (pausing the paused windows VM is an inform)', async () => {
    reply = { kind: 'content', content: JSON.stringify({ action: 'pause', target: 'windows', slots: {} }) };
    const decided = await refine()(input, null, unsure);
    assert.notEqual(decided.decision, 'execute');
  });

  test('a target outside the scene, an unknown action or non-JSON is refused and the embedded answer stands', async () => {
    for (const content of [JSON.stringify({ action: 'pause', target: 'host', slots: {} }), JSON.stringify({ action: 'format_disk', target: 'linux', slots: {} }), 'Sure! I will pause it.']) {
      reply = { kind: 'content', content };
      const decided = await refine()(input, null, unsure);
      assert.equal(decided.decision, 'out_of_scope');
      assert.match(decided.trace.at(-1)?.detail ?? '', /gave no answer: .*(outside what RayOS accepts|not answer with JSON)/);
    }
  });

  test('a backend that hangs or breaks times out and says so; confident answers never wait for it', async () => {
    reply = { kind: 'hang' };
    const slow = await refine(300)(input, null, unsure);
    assert.equal(slow.decision, 'out_of_scope');
    assert.match(slow.trace.at(-1)?.detail ?? '', /did not answer in time.*embedded engine's answer stands/);
    reply = { kind: 'broken' };
    const broken = await refine()(input, null, unsure);
    assert.match(broken.trace.at(-1)?.detail ?? '', /gave no answer/);
    lastRequest = null;
    const confident: IntentDecision = { ...unsure, decision: 'execute', action: 'pause', target: 'linux', confidence: 0.95 };
    assert.equal(await refine()(input, null, confident), confident);
    assert.equal(lastRequest, null, 'a confident answer does not call the backend');
  });

  test('a local model that is missing (file or package) is reported in the trace, and the embedded answer stands', async () => {
    const missing = createLlmRefiner(llamaLocalBackend({ modelPath: '/nonexistent/model.gguf' }), resolveIntent, 2000);
    const decided = await missing(input, null, unsure);
    assert.equal(decided.decision, 'out_of_scope');
    assert.match(decided.trace.at(-1)?.detail ?? '', /model file "\/nonexistent\/model.gguf" does not exist/);
  });
});
