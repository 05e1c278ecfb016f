// session.tool: a run's tool steps reach sessions.subscribe and sessions.messages.subscribe
// connections (tool-events cap or not), once per connection, with the same seq and data as the
// `agent` tool event; everyone else gets nothing new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatTurn, uniqueKey } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { callOk, openReady, type Frame, type RawSocket } from '../helpers/raw-socket.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
const opened: RawSocket[] = [];

const open = async (overrides: Record<string, unknown> = { scopes: ['operator.read'] }): Promise<RawSocket> => {
  const { socket } = await openReady(gw.url, gw.token, overrides);
  opened.push(socket);
  return socket;
};
const ok = callOk;
/**
 * Events written to a socket before a response to it are read before that response, so once a call
 * made after the run has ended has answered, every session.tool of that run is in `frames`.
 */
const toolEvents = async (socket: RawSocket, runId?: string): Promise<Frame[]> => {
  await ok(socket, 'health', {});
  const found: Frame[] = [];
  for (let i = 0; i < socket.frames.length; ) {
    const f = socket.frames[i]!;
    if (f.event === 'session.tool' && (runId === undefined || f.payload.runId === runId)) found.push(...socket.frames.splice(i, 1));
    else i++;
  }
  return found;
};
/** A chat turn whose model calls session_status once, then answers. */
const toolTurn = async (driver: RawSocket, key: string) => {
  upstream.enqueue({ toolCalls: [{ name: 'session_status', arguments: {}, id: `call_${uniqueKey('c')}` }] }, { text: 'All good.' });
  const turn = await chatTurn(driver, key, 'how is my session?');
  expect(turn.terminal.payload.state).toBe('final');
  return turn;
};

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
});
afterAll(async () => {
  for (const s of opened) s.close();
  await gw?.stop();
  await upstream?.close();
});

describe('session.tool', () => {
  it('reaches an all-sessions subscriber without the tool-events cap: start then result, with the session row', async () => {
    const driver = await open({ scopes: ['operator.admin'] });
    const watcher = await open();
    const bystander = await open();
    await ok(watcher, 'sessions.subscribe', {});
    const key = `agent:main:${uniqueKey('tool-all')}`;

    const turn = await toolTurn(driver, key);
    // The driver has no tool-events cap: no agent tool events, no session.tool either.
    expect(turn.agent.filter((f) => f.payload.stream === 'tool')).toEqual([]);
    expect(await toolEvents(driver)).toEqual([]);

    const events = await toolEvents(watcher, turn.runId);
    expect(events.map((f) => f.payload.data.phase)).toEqual(['start', 'result']);
    const [start, result] = events.map((f) => f.payload);
    expect(start).toMatchObject({
      runId: turn.runId,
      sessionKey: key,
      stream: 'tool',
      data: { phase: 'start', name: 'session_status', args: {} },
      session: { key, kind: 'direct' },
    });
    expect(result).toMatchObject({ runId: turn.runId, sessionKey: key, stream: 'tool', data: { phase: 'result', name: 'session_status', isError: false } });
    expect(result.data.toolCallId).toBe(start.data.toolCallId);
    expect(typeof start.ts).toBe('number');
    // Default verbose level: the result itself is not sent.
    expect('result' in result.data).toBe(false);
    // seq is the run's: after the lifecycle start, before the final chat event, increasing.
    expect(start.seq).toBeGreaterThan(1);
    expect(result.seq).toBeGreaterThan(start.seq);
    expect(result.seq).toBeLessThan(turn.terminal.payload.seq);

    expect(await toolEvents(bystander)).toEqual([]);
  });

  it('a per-session subscriber gets only its session; a connection subscribed both ways gets each step once', async () => {
    const driver = await open({ scopes: ['operator.admin'] });
    const mine = `agent:main:${uniqueKey('tool-mine')}`;
    const other = `agent:main:${uniqueKey('tool-other')}`;
    const perKey = await open();
    const both = await open();
    await ok(perKey, 'sessions.messages.subscribe', { key: mine });
    await ok(both, 'sessions.subscribe', {});
    await ok(both, 'sessions.messages.subscribe', { key: mine });

    const onMine = await toolTurn(driver, mine);
    const onOther = await toolTurn(driver, other);

    const perKeyEvents = await toolEvents(perKey);
    expect(perKeyEvents.map((f) => [f.payload.runId, f.payload.data.phase])).toEqual([
      [onMine.runId, 'start'],
      [onMine.runId, 'result'],
    ]);
    expect(perKeyEvents.every((f) => f.payload.sessionKey === mine)).toBe(true);

    const bothEvents = await toolEvents(both);
    expect(bothEvents.map((f) => [f.payload.sessionKey, f.payload.data.phase])).toEqual([
      [mine, 'start'],
      [mine, 'result'],
      [other, 'start'],
      [other, 'result'],
    ]);
    expect(bothEvents.filter((f) => f.payload.runId === onOther.runId)).toHaveLength(2);

    // Unsubscribing stops it.
    await ok(perKey, 'sessions.messages.unsubscribe', { key: mine });
    await toolTurn(driver, mine);
    expect(await toolEvents(perKey)).toEqual([]);
  });

  it('carries the same seq and data as the agent tool event, result included at verbose full', async () => {
    const driver = await open({ scopes: ['operator.admin'], caps: ['tool-events'] });
    const watcher = await open();
    const key = `agent:main:${uniqueKey('tool-verbose')}`;
    await ok(driver, 'sessions.patch', { key, verboseLevel: 'full' });
    await ok(watcher, 'sessions.messages.subscribe', { key });

    const turn = await toolTurn(driver, key);
    const agentTools = turn.agent.filter((f) => f.payload.stream === 'tool').map((f) => f.payload);
    expect(agentTools.map((p) => p.data.phase)).toEqual(['start', 'result']);
    const sessionTools = (await toolEvents(watcher, turn.runId)).map((f) => f.payload);
    expect(sessionTools.map((p) => p.seq)).toEqual(agentTools.map((p) => p.seq));
    expect(sessionTools.map((p) => p.data)).toEqual(agentTools.map((p) => p.data));
    expect(sessionTools[1].data.result).toMatchObject({ key, kind: 'direct' });
    expect(sessionTools[1].session).toMatchObject({ key, verboseLevel: 'full' });
    // The driver follows no session: it gets the agent tool events only.
    expect(await toolEvents(driver)).toEqual([]);
  });
});
