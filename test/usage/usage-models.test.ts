// models.list, usage.status / usage.cost from real runs, status, and the built-in offline model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatTurn, textOf, uniqueKey } from '../chat/chat-kit.js';

describe('with a configured provider', () => {
  let upstream: FakeOpenAiServer;
  let gw: RunningGateway;
  let ws: RawSocket;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl, { cost: { input: 3, output: 15, cacheRead: 0.3 } }) });
    ws = (await openReady(gw.url, gw.token)).socket;
  });
  afterAll(async () => {
    ws?.close();
    await gw?.stop();
    await upstream?.close();
  });

  it('models.list shows the configured models', async () => {
    const res = await call(ws, 'models.list', {});
    expect(res.payload).toEqual({
      models: [{ id: 'fake-model', name: 'Fake model', provider: 'fake', contextWindow: 32000, reasoning: false, thinkingLevels: [{ id: 'off', label: 'off' }] }],
    });
  });

  it('usage.cost and usage.status add up the tokens and cost of every run, per day', async () => {
    const session = `agent:main:${uniqueKey('usage')}`;
    upstream.enqueue(
      { text: 'one', usage: { prompt_tokens: 1200, completion_tokens: 500, cached_tokens: 200 } },
      { text: 'two', usage: { prompt_tokens: 2000, completion_tokens: 100 } },
    );
    const first = await chatTurn(ws, session, 'first');
    expect(first.terminal.payload.usage).toMatchObject({ input: 1000, output: 500, cacheRead: 200, totalTokens: 1700 });
    await chatTurn(ws, session, 'second');
    const cost = await call(ws, 'usage.cost', { days: 7, mode: 'utc' });
    expect(cost.payload.days).toBe(7);
    expect(cost.payload.daily).toHaveLength(7);
    const today = new Date().toISOString().slice(0, 10);
    expect(cost.payload.daily.at(-1).date).toBe(today);
    const totals = cost.payload.totals;
    expect(totals).toMatchObject({ input: 3000, output: 600, cacheRead: 200, cacheWrite: 0, totalTokens: 3800, missingCostEntries: 0 });
    expect(totals.inputCost).toBeCloseTo((3000 * 3) / 1e6, 10);
    expect(totals.outputCost).toBeCloseTo((600 * 15) / 1e6, 10);
    expect(totals.cacheReadCost).toBeCloseTo((200 * 0.3) / 1e6, 10);
    expect(totals.totalCost).toBeCloseTo(totals.inputCost + totals.outputCost + totals.cacheReadCost, 10);
    expect(cost.payload.daily.at(-1)).toMatchObject({ date: today, totalTokens: 3800 });
    expect(cost.payload.byModel).toEqual([expect.objectContaining({ provider: 'fake', model: 'fake-model', totalTokens: 3800 })]);
    expect(cost.payload.bySession).toEqual([expect.objectContaining({ sessionKey: session, agentId: 'main', totalTokens: 3800, input: 3000 })]);
    const past = await call(ws, 'usage.cost', { startDate: '2020-01-01', endDate: '2020-01-03' });
    expect(past.payload).toMatchObject({ days: 3, totals: { totalTokens: 0 } });
    expect((await call(ws, 'usage.cost', { startDate: '2020-01-03', endDate: '2020-01-01' })).error?.code).toBe('INVALID_REQUEST');
    const shifted = await call(ws, 'usage.cost', { days: 2, mode: 'specific', utcOffset: 'UTC+5:30' });
    expect(shifted.payload.totals.totalTokens).toBe(3800);

    const status = await call(ws, 'usage.status', {});
    expect(status.payload.providers).toEqual([{ provider: 'fake', displayName: 'fake', windows: [] }]);
    expect(status.payload.totals.totalTokens).toBe(3800);
    expect(status.payload.byModel[0]).toMatchObject({ provider: 'fake', model: 'fake-model', totalTokens: 3800 });

    const row = (await call(ws, 'sessions.list', {})).payload.sessions.find((s: { key: string }) => s.key === session);
    expect(row.estimatedCostUsd).toBeCloseTo(totals.totalCost, 10);
  });

  it('status summarises agents and sessions', async () => {
    const res = await call(ws, 'status', {});
    expect(res.ok).toBe(true);
    expect(res.payload.sessions.defaults).toEqual({ model: 'fake/fake-model', contextTokens: 32000 });
    expect(res.payload.sessions.count).toBeGreaterThan(0);
    expect(res.payload.agents).toEqual([{ id: 'main', isDefault: true }]);
    expect(res.payload.sessions.byAgent[0]).toMatchObject({ agentId: 'main', count: res.payload.sessions.count });
  });
});

describe('with no provider configured', () => {
  let gw: RunningGateway;
  let ws: RawSocket;
  beforeAll(async () => {
    gw = await startInProcess();
    ws = (await openReady(gw.url, gw.token, { caps: ['tool-events'] })).socket;
  });
  afterAll(async () => {
    ws?.close();
    await gw?.stop();
  });

  it('the offline echo model answers, labelled as such, and models.list shows it', async () => {
    expect((await call(ws, 'models.list', {})).payload.models).toEqual([
      { id: 'echo', name: expect.stringContaining('Offline echo'), provider: 'offline' },
    ]);
    const turn = await chatTurn(ws, 'main', 'hello gateway');
    expect(textOf(turn.terminal)).toBe('[offline echo model] You said: hello gateway');
    expect(turn.terminal.payload.usage.totalTokens).toBeGreaterThan(0);
  });

  it('the offline model calls a tool on request and reports its result', async () => {
    const turn = await chatTurn(ws, 'agent:main:offline-tools', '/tool session_status {}');
    const tools = turn.agent.filter((f) => f.payload.stream === 'tool');
    expect(tools.map((t) => t.payload.data.phase)).toEqual(['start', 'result']);
    expect(textOf(turn.terminal)).toMatch(/^\[offline echo model\] session_status returned: \{.*"key":"agent:main:offline-tools"/);
    const unknown = await chatTurn(ws, 'agent:main:offline-tools', '/tool nope {}');
    expect(textOf(unknown.terminal)).toContain('no tool named nope');
  });
});
