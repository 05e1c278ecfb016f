// /v1/responses driven by the official `openai` SDK: JSON and streamed responses, the event
// sequence of docs/http.md "Chat completions and responses", previous_response_id continuing the session, and a client tool round trip.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseResource, ResponseStreamEvent } from '../../contract/schemas/openai-http.js';
import { startAgentGateway, type AgentGateway } from './http-gateway.js';

let t: AgentGateway;
beforeAll(async () => {
  t = await startAgentGateway();
});
afterAll(() => t?.stop());

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

const finalOf = (sessionKey: string) => (f: { event?: string; payload?: any }) => f.event === 'chat' && f.payload.sessionKey === sessionKey && f.payload.state === 'final';

describe('/v1/responses via the openai SDK', () => {
  it('JSON: a completed response with output_text, usage and instructions passed to the model', async () => {
    t.upstream.enqueue({ text: 'Bonjour !', usage: { prompt_tokens: 9, completion_tokens: 2 } });
    const response = await t.openai.responses.create({ model: 'openclaw', input: 'Say hello', instructions: 'Answer in French.' });
    ResponseResource.parse(response);
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Bonjour !');
    expect(response.usage).toEqual({ input_tokens: 9, output_tokens: 2, total_tokens: 11 });
    const sent = t.upstream.requests.at(-1)!.body.messages!;
    expect(String(sent[0]!.content)).toContain('Answer in French.');
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'Say hello' });
  });

  it('max_output_tokens caps the reply at the model; temperature and top_p reach it too', async () => {
    await t.openai.responses.create({ model: 'openclaw', input: 'short', max_output_tokens: 11, temperature: 0.2, top_p: 0.9 });
    expect(t.upstream.requests.at(-1)!.body).toMatchObject({ max_tokens: 11, temperature: 0.2, top_p: 0.9 });
  });

  it('text.format (structured outputs) reaches the model as a chat response_format', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    await t.openai.responses.create({ model: 'openclaw', input: 'json', text: { format: { type: 'json_schema', name: 'place', schema, strict: true } } });
    expect(t.upstream.requests.at(-1)!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'place', schema, strict: true } });
    await t.openai.responses.create({ model: 'openclaw', input: 'plain', text: { format: { type: 'text' } } });
    expect(t.upstream.requests.at(-1)!.body.response_format).toEqual({ type: 'text' });
  });

  it('SSE: created, in_progress, item/part/text events, completed, each valid per contract; the SDK assembles it', async () => {
    t.upstream.enqueue({ text: 'streamed answer here' });
    const stream = t.openai.responses.stream({ model: 'openclaw', input: [{ role: 'user', content: 'stream please' }] });
    const events: { type: string; sequence_number?: number }[] = [];
    stream.on('event', (e) => events.push(e));
    const final = await stream.finalResponse();
    for (const e of events) ResponseStreamEvent.parse(e);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    expect(types.filter((x) => x === 'response.output_text.delta').length).toBeGreaterThan(1);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(final.output_text).toBe('streamed answer here');
    expect(final.status).toBe('completed');
  });

  it('the raw stream ends with data: [DONE] after response.completed', async () => {
    const res = await fetch(`${t.gw.httpUrl}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.gw.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openclaw', input: 'raw', stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(/^event: response\.created\ndata: \{/);
    expect(text).toMatch(/event: response\.completed\ndata: \{.*\}\n\ndata: \[DONE\]\n\n$/s);
  });

  it('previous_response_id continues the same session with the earlier turn as context', async () => {
    t.upstream.enqueue({ text: 'Your number is 7.' });
    const first = await t.openai.responses.create({ model: 'openclaw', input: 'Remember the number 7.', user: 'bob' });
    const session = 'agent:main:openresponses-user:bob';
    await t.watcher.waitFor(finalOf(session));
    t.upstream.enqueue({ text: 'It was 7.' });
    const second = await t.openai.responses.create({ model: 'openclaw', previous_response_id: first.id, input: 'What was the number?' });
    await t.watcher.waitFor(finalOf(session));
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text).toBe('It was 7.');
    const sent = t.upstream.requests.at(-1)!.body.messages!.filter((m) => m.role !== 'system');
    expect(sent).toEqual([
      { role: 'user', content: 'Remember the number 7.' },
      { role: 'assistant', content: 'Your number is 7.' },
      { role: 'user', content: 'What was the number?' },
    ]);
  });

  it('client tool round trip: function_call → incomplete, function_call_output continues (JSON)', async () => {
    t.upstream.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_w1' }] });
    const first = await t.openai.responses.create({ model: 'openclaw', input: 'Weather in Oslo?', tools: [WEATHER_TOOL] });
    expect(first.status).toBe('incomplete');
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Oslo"}' });
    const offered = t.upstream.requests.at(-1)!.body.tools!.map((tool) => tool.function.name);
    expect(offered).toContain('get_weather');

    t.upstream.enqueue({ text: 'It is sunny in Oslo.' });
    const second = await t.openai.responses.create({
      model: 'openclaw',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_w1', output: '{"sky":"sunny"}' }],
      tools: [WEATHER_TOOL],
    });
    expect(second.status).toBe('completed');
    expect(second.output_text).toBe('It is sunny in Oslo.');
    const sent = t.upstream.requests.at(-1)!.body.messages!;
    expect(sent.at(-3)).toMatchObject({ role: 'user', content: 'Weather in Oslo?' });
    expect(sent.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_w1', function: { name: 'get_weather' } }] });
    expect(sent.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"sunny"}' });
  });

  it('client tool round trip while streaming, with the whole conversation resent instead of previous_response_id', async () => {
    t.upstream.enqueue({ text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_r1' }] });
    const first = await t.openai.responses.stream({ model: 'openclaw', input: 'Weather in Rome?', tools: [WEATHER_TOOL] }).finalResponse();
    expect(first.status).toBe('incomplete');
    expect(first.output.map((o) => o.type)).toEqual(['message', 'function_call']);
    const call = first.output[1] as OpenAI.Responses.ResponseFunctionToolCall;

    t.upstream.enqueue({ text: 'Rome is warm.' });
    const second = await t.openai.responses
      .stream({
        model: 'openclaw',
        tools: [WEATHER_TOOL],
        input: [
          { role: 'user', content: 'Weather in Rome?' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: 'warm' },
        ],
      })
      .finalResponse();
    expect(second.output_text).toBe('Rome is warm.');
    expect(t.upstream.requests.at(-1)!.body.messages!.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_r1', content: 'warm' });
  });

  it('errors: unknown previous_response_id, bad model, empty input: 400; an upstream failure: 500 with a failed resource', async () => {
    const cases: [OpenAI.Responses.ResponseCreateParamsNonStreaming, string][] = [
      [{ model: 'openclaw', previous_response_id: 'resp_nope', input: 'hi' }, 'Previous response with id "resp_nope" not found'],
      [{ model: 'gpt-4o', input: 'hi' }, 'Invalid model'],
      [{ model: 'openclaw', input: [{ role: 'assistant', content: 'only me' }] }, 'Missing user message in `input`.'],
    ];
    for (const [body, message] of cases) {
      const error = await t.openai.responses.create(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining(message) });
    }
    t.upstream.enqueue({ status: 400 });
    const res = await fetch(`${t.gw.httpUrl}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.gw.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openclaw', input: 'fail' }),
    });
    expect(res.status).toBe(500);
    const failed = ResponseResource.parse(await res.json());
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'api_error' } });
  });

  it('a failure while streaming ends with response.failed', async () => {
    t.upstream.enqueue({ text: 'half an', malformed: 'error-event' });
    const events: string[] = [];
    const stream = await t.openai.responses.create({ model: 'openclaw', input: 'stream and fail', stream: true });
    for await (const e of stream) events.push(e.type);
    expect(events[0]).toBe('response.created');
    expect(events.at(-1)).toBe('response.failed');
  });

  it('aborting a streamed response mid-way aborts the run', async () => {
    t.upstream.enqueue({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 150 });
    const stream = t.openai.responses.stream({ model: 'openclaw', input: 'long answer', user: 'quitter' });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        stream.abort();
        break;
      }
    }
    const aborted = await t.watcher.waitFor((f) => f.event === 'chat' && f.payload.sessionKey === 'agent:main:openresponses-user:quitter' && f.payload.state === 'aborted', 10_000);
    expect(aborted.payload.state).toBe('aborted');
  });
});
