// The programmatic run API the HTTP layer uses: a run started in code is a run like any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentRunEvent } from '../../server/chat/run-types.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let watcher: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl, { cost: { input: 1, output: 2 } }) });
  watcher = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  watcher?.close();
  await gw?.stop();
  await upstream?.close();
});

describe('agent run API', () => {
  it('streams deltas to the caller, publishes chat events and returns text, stop reason and usage', async () => {
    const runtime = gw.gateway!.services.agents;
    upstream.enqueue({ text: 'hello from the fake model', usage: { prompt_tokens: 12, completion_tokens: 5 } });
    const { run, reused } = runtime.startRun({ caller: { kind: 'http' }, sessionKey: 'agent:main:api-1', message: 'hi', idempotencyKey: 'api-run-1' });
    expect(reused).toBe(false);
    const events: AgentRunEvent[] = [];
    run.subscribe((e) => events.push(e));
    const result = await run.done;
    expect(result).toMatchObject({ status: 'ok', text: 'hello from the fake model', stopReason: 'stop', runId: 'api-run-1', model: 'fake/fake-model' });
    expect(result.usage).toMatchObject({ input: 12, output: 5, totalTokens: 17 });
    expect(result.usage.cost?.total).toBeCloseTo((12 * 1 + 5 * 2) / 1e6);
    const texts = events.filter((e) => e.type === 'text').map((e) => (e as { delta: string }).delta).join('');
    expect(texts).toBe('hello from the fake model');
    expect(events.at(-1)?.type).toBe('end');
    const final = await watcher.waitFor((f) => f.event === 'chat' && f.payload.runId === 'api-run-1' && f.payload.state === 'final');
    expect(final.payload.message.content[0].text).toBe('hello from the fake model');
    // Same idempotency key: the same run, nothing new upstream.
    const before = upstream.requests.length;
    expect(runtime.startRun({ caller: { kind: 'http' }, sessionKey: 'agent:main:api-1', message: 'hi', idempotencyKey: 'api-run-1' }).reused).toBe(true);
    expect(upstream.requests.length).toBe(before);
  });

  it('ends with the pending call when the model calls a client tool, and continues from its result', async () => {
    const runtime = gw.gateway!.services.agents;
    upstream.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_w1' }] });
    const first = runtime.startRun({
      caller: { kind: 'http' },
      sessionKey: 'agent:main:api-2',
      message: 'weather in Oslo?',
      clientTools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    }).run;
    const r1 = await first.done;
    expect(r1).toMatchObject({ status: 'ok', stopReason: 'tool_calls' });
    expect(r1.pendingToolCalls).toEqual([{ id: 'call_w1', name: 'get_weather', arguments: '{"city":"Oslo"}' }]);
    const sent = upstream.requests.at(-1)!.body;
    expect(sent.tools?.map((t) => t.function.name)).toContain('get_weather');

    upstream.enqueue({ text: 'It is sunny.' });
    const second = runtime.startRun({
      caller: { kind: 'http' },
      sessionKey: 'agent:main:api-2',
      message: '',
      priorMessages: [
        { role: 'user', content: 'weather in Oslo?' },
        { role: 'assistant', content: '', toolCalls: r1.pendingToolCalls },
        { role: 'tool', toolCallId: 'call_w1', name: 'get_weather', content: '{"sky":"sunny"}' },
      ],
      clientTools: [{ name: 'get_weather' }],
    }).run;
    expect((await second.done).text).toBe('It is sunny.');
    const messages = upstream.requests.at(-1)!.body.messages!;
    expect(messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"sunny"}' });
    expect(messages.at(-2)).toMatchObject({ role: 'assistant' });
  });

  it('runs registered server tools inside the loop and honours the caller signal', async () => {
    const runtime = gw.gateway!.services.agents;
    const unregister = runtime.tools.register({
      name: 'lookup_code',
      description: 'Looks a code up',
      parameters: z.strictObject({ code: z.string() }),
      run: ({ code }) => ({ code, meaning: 'the answer' }),
    });
    upstream.enqueue({ toolCalls: [{ name: 'lookup_code', arguments: { code: '42' } }] }, { text: 'The code means the answer.' });
    const seen: string[] = [];
    const { run } = runtime.startRun({ caller: { kind: 'http' }, sessionKey: 'agent:main:api-3', message: 'what is 42?' });
    run.subscribe((e) => seen.push(e.type));
    const result = await run.done;
    unregister();
    expect(result.text).toBe('The code means the answer.');
    expect(seen).toContain('tool_start');
    expect(seen).toContain('tool_result');
    const toolMessage = upstream.requests.at(-1)!.body.messages!.at(-1)!;
    expect(toolMessage).toMatchObject({ role: 'tool', content: '{"code":"42","meaning":"the answer"}' });

    // The step limit: the last allowed model call gets no tools and the run ends with max_steps.
    upstream.enqueue({ toolCalls: [{ name: 'lookup_code', arguments: { code: '1' } }] }, { text: 'Out of steps, here is what I know.' });
    const reregister = runtime.tools.register({ name: 'lookup_code', description: 'x', parameters: z.strictObject({ code: z.string() }), run: () => 'ok' });
    const limited = await runtime.startRun({ caller: { kind: 'http' }, sessionKey: 'agent:main:api-3', message: 'loop', maxToolSteps: 2 }).run.done;
    reregister();
    expect(limited).toMatchObject({ status: 'ok', stopReason: 'max_steps', text: 'Out of steps, here is what I know.' });
    expect(upstream.requests.at(-1)!.body.tools).toBeUndefined();

    upstream.enqueue({ text: 'a b c d e f g h', chunkDelayMs: 200 });
    const controller = new AbortController();
    const slow = runtime.startRun({ caller: { kind: 'http' }, sessionKey: 'agent:main:api-3', message: 'slow', signal: controller.signal }).run;
    slow.subscribe((e) => {
      if (e.type === 'text') controller.abort();
    });
    expect((await slow.done).status).toBe('aborted');
  });
});
