// chat.send end to end: ack, streamed chat/agent events, tool turns, history, v3/v4 payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, chatTurn, collectRun, textOf, uniqueKey } from './chat-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let v4: RawSocket;
let v3: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
  v4 = (await openReady(gw.url, gw.token, { caps: ['tool-events'] })).socket;
  v3 = (await openReady(gw.url, gw.token, { minProtocol: 3, maxProtocol: 3 })).socket;
});
afterAll(async () => {
  v4?.close();
  v3?.close();
  await gw?.stop();
  await upstream?.close();
});

describe('chat.send', () => {
  it('acks at once with runId = idempotencyKey and streams the reply as chat and agent events', async () => {
    upstream.enqueue({ text: 'Hello there, this is a streamed reply.' });
    const key = uniqueKey('idem');
    const res = await chatSend(v4, 'main', 'hi', key);
    expect(res.ok).toBe(true);
    expect(res.payload).toEqual({ runId: key, status: 'started' });
    const run = await collectRun(v4, key);
    expect(run.terminal.payload).toMatchObject({ runId: key, sessionKey: 'agent:main:main', state: 'final', stopReason: 'stop' });
    expect(textOf(run.terminal)).toBe('Hello there, this is a streamed reply.');
    const deltas = run.chat.filter((f) => f.payload.state === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    // v4: deltaText increments add up to the cumulative text.
    expect(deltas.map((d) => d.payload.deltaText).join('')).toBe(textOf(deltas.at(-1)!));
    const phases = run.agent.filter((f) => f.payload.stream === 'lifecycle').map((f) => f.payload.data.phase);
    expect(phases).toEqual(['start', 'end']);
    const seqs = [...run.chat, ...run.agent].map((f) => f.payload.seq as number).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(run.agent.filter((f) => f.payload.stream === 'assistant').map((f) => f.payload.data.delta).join('')).toBe('Hello there, this is a streamed reply.');

    // The v3 connection saw the same run without v4-only fields.
    const v3run = await collectRun(v3, key);
    expect(textOf(v3run.terminal)).toBe('Hello there, this is a streamed reply.');
    for (const delta of v3run.chat.filter((f) => f.payload.state === 'delta')) expect(delta.payload).not.toHaveProperty('deltaText');

    const sent = upstream.requests.at(-1)!.body;
    expect(sent.stream).toBe(true);
    expect(sent.messages?.[0]?.role).toBe('system');
    expect(sent.messages?.at(-1)).toEqual({ role: 'user', content: 'hi' });
  });

  it('streams reasoning as agent thinking events, batched, before the text', async () => {
    upstream.enqueue({ reasoning: 'Let me think about this carefully first.', text: 'Answer.' });
    const turn = await chatTurn(v4, `agent:main:${uniqueKey('think')}`, 'ponder');
    const thinking = turn.agent.filter((f) => f.payload.stream === 'thinking');
    expect(thinking.length).toBeGreaterThan(0);
    expect(thinking.length).toBeLessThan(8);
    expect(thinking.map((f) => f.payload.data.delta).join('')).toBe('Let me think about this carefully first.');
    expect(textOf(turn.terminal)).toBe('Answer.');
  });

  it('throttles cumulative deltas of a long fast reply, and loses no text', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')}${'x'.repeat(96)} `);
    upstream.enqueue({ chunks });
    const turn = await chatTurn(v4, `agent:main:${uniqueKey('long')}`, 'write a lot');
    const deltas = turn.chat.filter((f) => f.payload.state === 'delta');
    expect(deltas.length).toBeLessThan(100);
    expect(textOf(turn.terminal)).toBe(chunks.join(''));
    expect(deltas.map((d) => d.payload.deltaText).join('')).toBe(chunks.join(''));
  });

  it('keeps the conversation: the next turn sends the history, and chat.history reads it back', async () => {
    const session = `agent:main:${uniqueKey('conv')}`;
    upstream.enqueue({ text: 'First answer.' }, { text: 'Second answer.' });
    await chatTurn(v4, session, 'first question');
    await chatTurn(v4, session, 'second question');
    const roles = upstream.requests.at(-1)!.body.messages!.map((m) => `${m.role}:${typeof m.content === 'string' ? m.content : ''}`);
    expect(roles.slice(1)).toEqual(['user:first question', 'assistant:First answer.', 'user:second question']);
    const history = await call(v4, 'chat.history', { sessionKey: session });
    expect(history.ok).toBe(true);
    expect(history.payload.sessionId).toEqual(expect.any(String));
    expect(history.payload.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(history.payload.messages[3].content[0].text).toBe('Second answer.');
    expect(history.payload.messages[3].usage.totalTokens).toBeGreaterThan(0);
    const limited = await call(v4, 'chat.history', { sessionKey: session, limit: 1 });
    expect(limited.payload.messages).toHaveLength(1);
  });

  it('runs tool calls through the registry and sends tool events only to tool-events connections', async () => {
    const session = `agent:main:${uniqueKey('tools')}`;
    upstream.enqueue({ toolCalls: [{ name: 'session_status', arguments: {} }] }, { text: 'Your session is fine.' });
    const res = await chatSend(v4, session, 'how is my session?');
    const runId = res.payload.runId;
    const run = await collectRun(v4, runId);
    expect(textOf(run.terminal)).toBe('Your session is fine.');
    const tools = run.agent.filter((f) => f.payload.stream === 'tool').map((f) => f.payload.data);
    expect(tools.map((t) => t.phase)).toEqual(['start', 'result']);
    expect(tools[0]).toMatchObject({ name: 'session_status', args: {} });
    expect(tools[1]).toMatchObject({ name: 'session_status', isError: false });
    const v3run = await collectRun(v3, runId);
    expect(v3run.agent.some((f) => f.payload.stream === 'tool')).toBe(false);
    // The model got the tool result and its schema.
    const first = upstream.requests.at(-2)!.body;
    expect(first.tools?.map((t) => t.function.name)).toEqual(expect.arrayContaining(['sessions_list', 'session_status', 'sessions_spawn']));
    const toolMsg = upstream.requests.at(-1)!.body.messages!.at(-1)!;
    expect(toolMsg.role).toBe('tool');
    expect(JSON.parse(toolMsg.content as string)).toMatchObject({ key: session, kind: 'direct' });
    const history = await call(v4, 'chat.history', { sessionKey: session });
    expect(history.payload.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
  });

  it('feeds tool failures back to the model instead of failing the run', async () => {
    const session = `agent:main:${uniqueKey('toolfail')}`;
    upstream.enqueue({ toolCalls: [{ name: 'no_such_tool', arguments: {} }, { name: 'session_status', arguments: '{not json' }] }, { text: 'Sorry.' });
    const turn = await chatTurn(v4, session, 'break things');
    expect(turn.terminal.payload.state).toBe('final');
    const results = turn.agent.filter((f) => f.payload.stream === 'tool' && f.payload.data.phase === 'result').map((f) => f.payload.data);
    expect(results.every((r) => r.isError === true)).toBe(true);
    const toolMsgs = upstream.requests.at(-1)!.body.messages!.filter((m) => m.role === 'tool');
    expect(toolMsgs.map((m) => JSON.parse(m.content as string).error)).toEqual(['unknown_tool', 'invalid_args']);
  });

  it('rejects an empty message and answers /stop like chat.abort', async () => {
    const empty = await chatSend(v4, 'main', '   ');
    expect(empty.ok).toBe(false);
    expect(empty.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'MESSAGE_REQUIRED' } });
    const stop = await chatSend(v4, `agent:main:${uniqueKey('idle')}`, '/stop');
    expect(stop.payload).toEqual({ ok: true, aborted: false, runIds: [] });
    const unknownAgent = await chatSend(v4, 'agent:ghost:main', 'hi');
    expect(unknownAgent.error?.details?.code).toBe('AGENT_NOT_FOUND');
  });

  it('chat.inject appends an assistant message and announces it', async () => {
    const session = `agent:main:${uniqueKey('inject')}`;
    const missing = await call(v4, 'chat.inject', { sessionKey: session, message: 'hello' });
    expect(missing.error?.details?.code).toBe('SESSION_NOT_FOUND');
    upstream.enqueue({ text: 'ok' });
    await chatTurn(v4, session, 'start');
    const res = await call(v4, 'chat.inject', { sessionKey: session, message: 'Injected note', label: 'note' });
    expect(res.payload).toEqual({ ok: true, messageId: expect.any(String) });
    const event = await v4.waitFor((f) => f.event === 'chat' && f.payload.runId === `inject-${res.payload.messageId}`);
    expect(event.payload).toMatchObject({ seq: 0, state: 'final', sessionKey: session });
    const history = await call(v4, 'chat.history', { sessionKey: session });
    expect(textOf({ type: 'x', payload: { message: history.payload.messages.at(-1) } })).toBe('Injected note');
  });
});
