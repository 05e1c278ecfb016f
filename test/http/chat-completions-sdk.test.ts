// /v1/chat/completions driven by the official `openai` SDK against a gateway whose model is a fake
// upstream: non-streaming, streaming, a multi-turn session, agent selection, abort, failures, and
// client tool round trips.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatCompletion, ChatCompletionChunk } from '../../contract/schemas/openai-http.js';
import { z } from 'zod';
import { startAgentGateway, type AgentGateway } from './http-gateway.js';

let t: AgentGateway;
beforeAll(async () => {
  t = await startAgentGateway();
  t.gw.gateway!.services.agents.tools.register({ name: 'sampling_probe', description: 'Answers ok', parameters: z.strictObject({}), run: () => 'ok' });
});
afterAll(() => t?.stop());

const chatEvent = (runSession: string, state: string) => (f: { event?: string; payload?: any }) =>
  f.event === 'chat' && f.payload.sessionKey === runSession && f.payload.state === state;

describe('/v1/chat/completions via the openai SDK', () => {
  it('non-streaming: a chat.completion with the reply, usage, and system messages as instructions', async () => {
    t.upstream.enqueue({ text: 'Hello there!', usage: { prompt_tokens: 21, completion_tokens: 3 } });
    const completion = await t.openai.chat.completions.create({
      model: 'openclaw',
      messages: [
        { role: 'system', content: 'Always answer in pirate speak.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
    ChatCompletion.parse(completion);
    expect(completion.id).toMatch(/^chatcmpl_/);
    expect(completion.model).toBe('openclaw');
    expect(completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'Hello there!' }, finish_reason: 'stop' }]);
    expect(completion.usage).toEqual({ prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 });
    const sent = t.upstream.requests.at(-1)!.body.messages!;
    expect(String(sent[0]!.content)).toContain('Always answer in pirate speak.');
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: 'Say hello' });
  });

  it('max_completion_tokens (else max_tokens) caps the reply at the model; a reply cut there ends with finish_reason length', async () => {
    await t.openai.chat.completions.create({ model: 'openclaw', max_tokens: 7, messages: [{ role: 'user', content: 'short' }] });
    expect(t.upstream.requests.at(-1)!.body.max_tokens).toBe(7);
    t.upstream.enqueue({ text: 'cut', finishReason: 'length' });
    const cut = await t.openai.chat.completions.create({ model: 'openclaw', max_tokens: 7, max_completion_tokens: 9, messages: [{ role: 'user', content: 'short' }] });
    expect(t.upstream.requests.at(-1)!.body.max_tokens).toBe(9);
    expect(cut.choices[0]!.finish_reason).toBe('length');
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'no cap' }] });
    expect(t.upstream.requests.at(-1)!.body).not.toHaveProperty('max_tokens');
    const bad = await t.openai.chat.completions.create({ model: 'openclaw', max_tokens: 0, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((bad as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });

  it('sampling settings reach the model on every step; nulls and absent ones are left out; out of range is a 400', async () => {
    await t.openai.chat.completions.create({
      model: 'openclaw',
      messages: [{ role: 'user', content: 'sample' }],
      temperature: 0,
      top_p: 0.5,
      seed: 42,
      stop: 'END',
      presence_penalty: -1,
      frequency_penalty: 1.5,
    });
    expect(t.upstream.requests.at(-1)!.body).toMatchObject({ temperature: 0, top_p: 0.5, seed: 42, stop: ['END'], presence_penalty: -1, frequency_penalty: 1.5 });
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'sample' }], temperature: null, stop: ['a', 'b'] });
    const sent = t.upstream.requests.at(-1)!.body;
    expect(sent.stop).toEqual(['a', 'b']);
    for (const key of ['temperature', 'top_p', 'seed', 'presence_penalty', 'frequency_penalty']) expect(sent).not.toHaveProperty(key);
    // A run with a server tool step: both model calls get the settings; a forced tool_choice binds
    // the first step only (or the forced server tool would run on every step).
    t.upstream.enqueue({ toolCalls: [{ name: 'sampling_probe', arguments: {}, id: 'call_s1' }] });
    t.upstream.enqueue({ text: 'done' });
    const steps = t.upstream.requests.length;
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'use the probe' }], temperature: 0.3, tool_choice: 'required' });
    expect(t.upstream.requests.slice(steps).map((r) => r.body.temperature)).toEqual([0.3, 0.3]);
    expect(t.upstream.requests.slice(steps).map((r) => r.body.tool_choice)).toEqual(['required', undefined]);
    const before = t.upstream.requests.length;
    const bad = await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], temperature: 3 }).catch((e: unknown) => e);
    expect((bad as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(((bad as InstanceType<typeof OpenAI.APIError>).error as { message: string }).message).toContain('temperature');
    expect(t.upstream.requests.length).toBe(before);
  });

  it('response_format (JSON mode, a JSON schema) reaches the model as sent; a malformed one is a 400', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    await t.openai.chat.completions.create({
      model: 'openclaw',
      messages: [{ role: 'user', content: 'json please' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    expect(t.upstream.requests.at(-1)!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' } });
    expect(t.upstream.requests.at(-1)!.body.response_format).toEqual({ type: 'json_object' });
    const bad = await t.openai.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema' } as never })
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect((bad as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });

  it('streaming: role chunk, content chunks, stop chunk, usage chunk, [DONE]', async () => {
    t.upstream.enqueue({ text: 'one two three', usage: { prompt_tokens: 5, completion_tokens: 3 } });
    const stream = await t.openai.chat.completions.create({
      model: 'openclaw',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) ChatCompletionChunk.parse(chunk);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]!.choices[0]).toEqual({ index: 0, delta: { role: 'assistant' }, finish_reason: null });
    const content = chunks.slice(1, -2);
    expect(content.length).toBeGreaterThan(0);
    expect(content.map((c) => c.choices[0]!.delta.content).join('')).toBe('one two three');
    expect(content.every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    expect(chunks.at(-2)!.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('streaming without include_usage: no usage chunk; the SDK stream helper assembles the message', async () => {
    t.upstream.enqueue({ text: 'assembled reply' });
    const runner = t.openai.chat.completions.stream({ model: 'openclaw', messages: [{ role: 'user', content: 'go' }] });
    const deltas: string[] = [];
    runner.on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('assembled reply');
    expect(deltas.join('')).toBe('assembled reply');
    expect(final.usage ?? null).toBeNull();
  });

  it('a multi-turn conversation keyed by `user` stays in one session, carrying the earlier turns', async () => {
    const session = 'agent:main:openai-user:alice';
    t.upstream.enqueue({ text: 'Nice to meet you, Alice.' });
    const first = await t.openai.chat.completions.create({ model: 'openclaw', user: 'Alice', messages: [{ role: 'user', content: 'I am Alice.' }] });
    await t.watcher.waitFor(chatEvent(session, 'final'));
    t.upstream.enqueue((req) => ({ text: `You said ${req.body.messages!.length} things.` }));
    const second = await t.openai.chat.completions.create({
      model: 'openclaw',
      user: 'Alice',
      messages: [
        { role: 'user', content: 'I am Alice.' },
        { role: 'assistant', content: first.choices[0]!.message.content },
        { role: 'user', content: 'Who am I?' },
      ],
    });
    await t.watcher.waitFor(chatEvent(session, 'final'));
    expect(second.choices[0]!.message.content).toMatch(/^You said \d+ things\.$/);
    const sent = t.upstream.requests.at(-1)!.body.messages!.filter((m) => m.role !== 'system');
    expect(sent).toEqual([
      { role: 'user', content: 'I am Alice.' },
      { role: 'assistant', content: 'Nice to meet you, Alice.' },
      { role: 'user', content: 'Who am I?' },
    ]);
  });

  it('x-openclaw-session-key: a client sending only its new message gets the session history as context', async () => {
    const headers = { 'x-openclaw-session-key': 'agent:main:http-memory' };
    t.upstream.enqueue({ text: 'Noted: blue.' });
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'My colour is blue.' }] }, { headers });
    t.upstream.enqueue({ text: 'Blue.' });
    await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'What is my colour?' }] }, { headers });
    const sent = t.upstream.requests.at(-1)!.body.messages!.filter((m) => m.role !== 'system');
    expect(sent.map((m) => [m.role, m.content])).toEqual([
      ['user', 'My colour is blue.'],
      ['assistant', 'Noted: blue.'],
      ['user', 'What is my colour?'],
    ]);
  });

  it('without user or session header every request gets a fresh session', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: `fresh ${i}` }] });
      const final = await t.watcher.waitFor((f) => f.event === 'chat' && f.payload.state === 'final' && /^agent:main:openai:[0-9a-f-]{36}$/.test(f.payload.sessionKey));
      keys.push(final.payload.sessionKey);
    }
    expect(keys[0]).not.toBe(keys[1]);
  });

  it.each([
    ['openclaw/ops', {}, 'ops'],
    ['openclaw:ops', {}, 'ops'],
    ['agent:ops', {}, 'ops'],
    ['openclaw/default', {}, 'main'],
    ['openclaw', { 'x-openclaw-agent-id': 'ops' }, 'ops'],
  ])('model %s (headers %o) runs agent %s', async (model, headers, agentId) => {
    const user = `pick-${Math.random().toString(36).slice(2)}`;
    await t.openai.chat.completions.create({ model, user, messages: [{ role: 'user', content: 'which agent?' }] }, { headers });
    await t.watcher.waitFor(chatEvent(`agent:${agentId}:openai-user:${user}`, 'final'));
  });

  it('a bad model, an unknown agent and a missing user message answer 400 invalid_request_error', async () => {
    const cases: [Parameters<typeof t.openai.chat.completions.create>[0], string][] = [
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, 'Invalid model. Use `openclaw` (the default agent), `openclaw/<agentId>`, `openclaw:<agentId>` or `agent:<agentId>`; GET /v1/models lists them.'],
      [{ model: 'openclaw/nobody', messages: [{ role: 'user', content: 'x' }] }, 'Unknown agent "nobody"; GET /v1/models lists the models you can use.'],
      [{ model: 'openclaw', messages: [{ role: 'system', content: 'only a system prompt' }] }, 'Missing user message in `messages`.'],
    ];
    for (const [body, message] of cases) {
      const error = await t.openai.chat.completions.create(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toEqual({ message, type: 'invalid_request_error' });
    }
  });

  it('an upstream failure answers 500 api_error (JSON), or an error line the SDK raises (stream)', async () => {
    t.upstream.enqueue({ status: 400, errorBody: { error: { message: 'secret upstream detail' } } });
    const error = await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'fail' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'api_error' });
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.APIError>).error)).not.toContain('secret upstream detail');

    t.upstream.enqueue({ text: 'partial words then', malformed: 'error-event' });
    const stream = await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'fail later' }], stream: true });
    const streamed = (async () => {
      for await (const chunk of stream) void chunk;
    })();
    await expect(streamed).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('aborting the stream mid-way aborts the run and the upstream request', async () => {
    const session = 'agent:main:openai-user:aborter';
    t.upstream.enqueue({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 150 });
    const upstreamIndex = t.upstream.requests.length + 1;
    const stream = await t.openai.chat.completions.create({ model: 'openclaw', user: 'aborter', messages: [{ role: 'user', content: 'long one' }], stream: true });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) {
        stream.controller.abort();
        break;
      }
    }
    const aborted = await t.watcher.waitFor(chatEvent(session, 'aborted'), 10_000);
    expect(aborted.payload.state).toBe('aborted');
    const upstreamRequest = await t.upstream.waitForRequest(upstreamIndex);
    expect(upstreamRequest.body.messages!.at(-1)).toMatchObject({ content: 'long one' });
    await vi.waitFor(() => expect(upstreamRequest.clientClosed).toBe(true), { timeout: 10_000 });
  });

  it('a client that gives up on a non-streaming request aborts its run too', async () => {
    const session = 'agent:main:openai-user:impatient';
    t.upstream.enqueue({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 150 });
    const upstreamIndex = t.upstream.requests.length + 1;
    const controller = new AbortController();
    const pending = t.openai.chat.completions.create({ model: 'openclaw', user: 'impatient', messages: [{ role: 'user', content: 'slow one' }] }, { signal: controller.signal });
    const upstreamRequest = await t.upstream.waitForRequest(upstreamIndex);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await t.watcher.waitFor(chatEvent(session, 'aborted'), 10_000);
    await vi.waitFor(() => expect(upstreamRequest.clientClosed).toBe(true), { timeout: 10_000 });
  });
});

describe('/v1/chat/completions client tools via the openai SDK', () => {
  const WEATHER: OpenAI.Chat.Completions.ChatCompletionTool = {
    type: 'function',
    function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  };

  it('a call ends the turn with tool_calls; the tool message continues it (JSON)', async () => {
    t.upstream.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_w1' }] });
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await t.openai.chat.completions.create({ model: 'openclaw', messages, tools: [WEATHER], tool_choice: 'auto' });
    ChatCompletion.parse(first);
    expect(first.choices[0]).toEqual({
      index: 0,
      finish_reason: 'tool_calls',
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
    });
    const offered = t.upstream.requests.at(-1)!.body;
    expect(offered.tools!.map((tool) => tool.function.name)).toContain('get_weather');
    expect(offered.tool_choice).toBe('auto');

    t.upstream.enqueue({ text: 'It is sunny in Oslo.' });
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"sunny"}' });
    const second = await t.openai.chat.completions.create({ model: 'openclaw', messages, tools: [WEATHER] });
    expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'It is sunny in Oslo.' } });
    const sent = t.upstream.requests.at(-1)!.body.messages!;
    expect(sent.at(-3)).toMatchObject({ role: 'user', content: 'Weather in Oslo?' });
    expect(sent.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_w1', function: { name: 'get_weather' } }] });
    expect(sent.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"sunny"}' });
  });

  it('streaming: text, then the tool calls in one indexed chunk, then finish_reason tool_calls; the SDK assembles them', async () => {
    t.upstream.enqueue({
      text: 'Checking both.',
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_r1' },
        { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_o1' },
      ],
    });
    const stream = t.openai.chat.completions.stream({ model: 'openclaw', messages: [{ role: 'user', content: 'Rome and Oslo?' }], tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on('chunk', (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();
    for (const chunk of chunks) ChatCompletionChunk.parse(chunk);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.choices[0]!.message.content).toBe('Checking both.');
    expect(final.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_r1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
      { id: 'call_o1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(t.upstream.requests.at(-1)!.body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
  });

  it('a malformed tool definition is a 400 naming the field, and nothing reaches the upstream', async () => {
    const before = t.upstream.requests.length;
    const error = await t.openai.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: '' } }] })
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(((error as InstanceType<typeof OpenAI.APIError>).error as { message: string }).message).toContain('tools');
    expect(t.upstream.requests.length).toBe(before);
  });
});
