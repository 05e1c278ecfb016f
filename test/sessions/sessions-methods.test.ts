// sessions.list / preview / patch / reset / delete / compact / spawn and sessions.changed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatTurn, collectRun, textOf, uniqueKey } from '../chat/chat-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  const config = fakeProviderConfig(upstream.baseUrl) as { models: { providers: Record<string, unknown> } };
  config.models.providers.alt = { baseUrl: upstream.baseUrl, models: [{ id: 'alt-model' }] };
  gw = await startInProcess({ ...TEST_CONFIG, ...config });
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
  await upstream?.close();
});

const changed = (key: string, reason: string) => ws.waitFor((f) => f.event === 'sessions.changed' && f.payload.sessionKey === key && f.payload.reason === reason);

describe('sessions.*', () => {
  it('list shows sessions newest first with usage, filtered by agent, label and search', async () => {
    const a = `agent:main:${uniqueKey('list')}`;
    const b = `agent:main:${uniqueKey('list')}`;
    upstream.enqueue({ text: 'reply a', usage: { prompt_tokens: 20, completion_tokens: 4 } }, { text: 'reply b' });
    await chatTurn(ws, a, 'message a');
    await changed(a, 'create');
    await chatTurn(ws, b, 'message b');
    await call(ws, 'sessions.patch', { key: a, label: 'Project A' });
    const list = await call(ws, 'sessions.list', { includeLastMessage: true });
    expect(list.ok).toBe(true);
    const keys = list.payload.sessions.map((s: { key: string }) => s.key);
    expect(keys.indexOf(a)).toBeLessThan(keys.indexOf(b));
    const rowA = list.payload.sessions.find((s: { key: string }) => s.key === a);
    expect(rowA).toMatchObject({ kind: 'direct', label: 'Project A', inputTokens: 20, outputTokens: 4, totalTokens: 24, status: 'done', model: 'fake-model', modelProvider: 'fake', lastMessagePreview: 'reply a' });
    expect(list.payload.defaults).toEqual({ modelProvider: 'fake', model: 'fake-model', contextTokens: 32000 });
    expect((await call(ws, 'sessions.list', { label: 'Project A' })).payload.sessions.map((s: { key: string }) => s.key)).toEqual([a]);
    expect((await call(ws, 'sessions.list', { search: 'project a' })).payload.sessions.map((s: { key: string }) => s.key)).toEqual([a]);
    expect((await call(ws, 'sessions.list', { limit: 1 })).payload.sessions).toHaveLength(1);
    const ghost = await call(ws, 'sessions.list', { agentId: 'ghost' });
    expect(ghost.error?.details?.code).toBe('AGENT_NOT_FOUND');
  });

  it('preview gives the last messages as plain text, and says when a session is missing or empty', async () => {
    const key = `agent:main:${uniqueKey('preview')}`;
    upstream.enqueue({ text: 'a rather long answer that will be cut short by maxChars' });
    await chatTurn(ws, key, 'question');
    const res = await call(ws, 'sessions.preview', { keys: [key, 'agent:main:nope'], limit: 5, maxChars: 20 });
    expect(res.payload.previews[0]).toEqual({
      key,
      status: 'ok',
      items: [
        { role: 'user', text: 'question' },
        { role: 'assistant', text: 'a rather long answe…' },
      ],
    });
    expect(res.payload.previews[1]).toEqual({ key: 'agent:main:nope', status: 'missing', items: [] });
  });

  it('patch sets and clears overrides, validates the model, and the model override is used', async () => {
    const key = `agent:main:${uniqueKey('patch')}`;
    const res = await call(ws, 'sessions.patch', { key, label: 'L', thinkingLevel: 'high', model: 'alt/alt-model' });
    expect(res.payload).toMatchObject({ ok: true, key, entry: { label: 'L', thinkingLevel: 'high' }, resolved: { modelProvider: 'alt', model: 'alt-model' } });
    await changed(key, 'create');
    upstream.enqueue({ text: 'from alt' });
    await chatTurn(ws, key, 'hi');
    expect(upstream.requests.at(-1)!.body.model).toBe('alt-model');
    const cleared = await call(ws, 'sessions.patch', { key, label: null, model: null });
    expect(cleared.payload.entry.label).toBeUndefined();
    expect(cleared.payload.resolved).toEqual({ modelProvider: 'fake', model: 'fake-model' });
    await changed(key, 'patch');
    const bad = await call(ws, 'sessions.patch', { key, model: 'nowhere/x' });
    expect(bad.error?.details?.code).toBe('MODEL_NOT_FOUND');
  });

  it('reset starts a fresh transcript and archives the old one; delete archives or removes', async () => {
    const key = `agent:main:${uniqueKey('reset')}`;
    upstream.enqueue({ text: 'old' });
    await chatTurn(ws, key, 'old message');
    const before = (await call(ws, 'chat.history', { sessionKey: key })).payload.sessionId;
    const reset = await call(ws, 'sessions.reset', { key, reason: 'new' });
    expect(reset.payload.entry.sessionId).not.toBe(before);
    await changed(key, 'new');
    expect((await call(ws, 'chat.history', { sessionKey: key })).payload.messages).toEqual([]);
    upstream.enqueue({ text: 'new' });
    await chatTurn(ws, key, 'fresh');
    const del = await call(ws, 'sessions.delete', { key });
    expect(del.payload).toMatchObject({ ok: true, key, deleted: true, archived: [expect.stringMatching(/\.jsonl\.deleted\./)] });
    expect(existsSync(del.payload.archived[0])).toBe(true);
    await changed(key, 'delete');
    expect((await call(ws, 'sessions.delete', { key })).error?.details?.code).toBe('SESSION_NOT_FOUND');
    expect((await call(ws, 'sessions.reset', { key })).error?.details?.code).toBe('SESSION_NOT_FOUND');
  });

  it('delete refuses a session with a run in progress', async () => {
    const key = `agent:main:${uniqueKey('busy')}`;
    upstream.enqueue({ text: 'a b c', hangAfterChunks: 1 });
    const res = await call(ws, 'chat.send', { sessionKey: key, message: 'x', idempotencyKey: uniqueKey('busy') });
    const busy = await call(ws, 'sessions.delete', { key });
    expect(busy.error).toMatchObject({ code: 'CONFLICT', details: { code: 'SESSION_BUSY' } });
    await call(ws, 'chat.abort', { sessionKey: key });
    await collectRun(ws, res.payload.runId);
  });

  it('compact keeps the last N lines, or summarises with the model and later prompts start from the summary', async () => {
    const key = `agent:main:${uniqueKey('compact')}`;
    for (let i = 1; i <= 4; i++) {
      upstream.enqueue({ text: `answer ${i}` });
      await chatTurn(ws, key, `question ${i}`);
    }
    upstream.enqueue({ text: 'SUMMARY: the user asked four questions.' });
    const summarised = await call(ws, 'sessions.compact', { key });
    expect(summarised.payload).toMatchObject({ ok: true, key, compacted: true, result: { summary: 'SUMMARY: the user asked four questions.' } });
    expect(summarised.payload.result).toMatchObject({ tokensBefore: expect.any(Number), tokensAfter: expect.any(Number) });
    const summaryRequest = upstream.requests.at(-1)!.body;
    expect(summaryRequest.tools).toBeUndefined();
    expect(JSON.stringify(summaryRequest.messages)).toContain('question 1');
    await changed(key, 'compact');
    upstream.enqueue({ text: 'answer 5' });
    await chatTurn(ws, key, 'question 5');
    const prompt = upstream.requests.at(-1)!.body.messages!;
    expect(prompt[0]!.content).toContain('SUMMARY: the user asked four questions.');
    expect(prompt.slice(1).map((m) => m.content)).toEqual(['question 3', 'answer 3', 'question 4', 'answer 4', 'question 5']);

    const byLines = await call(ws, 'sessions.compact', { key, maxLines: 2 });
    expect(byLines.payload).toMatchObject({ ok: true, compacted: true, kept: 2, archived: expect.stringMatching(/\.compacted\./) });
    const history = await call(ws, 'chat.history', { sessionKey: key });
    expect(history.payload.messages.map((m: { content: { text: string }[] }) => m.content[0]!.text)).toEqual(['question 5', 'answer 5']);
    const small = await call(ws, 'sessions.compact', { key, maxLines: 10 });
    expect(small.payload.compacted).toBe(false);
    expect((await call(ws, 'sessions.compact', { key: 'agent:main:none' })).error?.details?.code).toBe('SESSION_NOT_FOUND');
  });

  it('a send during compaction waits for it, then starts from the summary', async () => {
    const key = `agent:main:${uniqueKey('compactq')}`;
    for (let i = 1; i <= 3; i++) {
      upstream.enqueue({ text: `reply ${i}` });
      await chatTurn(ws, key, `turn ${i}`);
    }
    upstream.enqueue({ chunks: ['SUMMARY ', 'of three turns'], chunkDelayMs: 150 }, { text: 'after compaction' });
    const compactId = uniqueKey('compact');
    const before = upstream.requests.length;
    ws.send({ type: 'req', id: compactId, method: 'sessions.compact', params: { key } });
    await upstream.waitForRequest(before + 1);
    const send = await call(ws, 'chat.send', { sessionKey: key, message: 'turn 4', idempotencyKey: uniqueKey('q') });
    expect(send.payload.status).toBe('started');
    const compacted = await ws.waitFor((f) => f.type === 'res' && f.id === compactId);
    expect(compacted.payload).toMatchObject({ compacted: true, result: { summary: 'SUMMARY of three turns' } });
    const run = await collectRun(ws, send.payload.runId);
    expect(textOf(run.terminal)).toBe('after compaction');
    expect(upstream.requests.at(-1)!.body.messages![0]!.content).toContain('SUMMARY of three turns');
  });

  it('reset during a run aborts it first; the partial reply stays in the archived transcript', async () => {
    const key = `agent:main:${uniqueKey('resetrun')}`;
    upstream.enqueue({ chunks: ['partial ', 'words ', 'keep ', 'coming'], chunkDelayMs: 200 });
    const res = await call(ws, 'chat.send', { sessionKey: key, message: 'long', idempotencyKey: uniqueKey('rr') });
    await ws.waitFor((f) => f.event === 'chat' && f.payload.runId === res.payload.runId && f.payload.state === 'delta');
    const oldId = (await call(ws, 'chat.history', { sessionKey: key })).payload.sessionId;
    const reset = await call(ws, 'sessions.reset', { key });
    expect(reset.ok).toBe(true);
    const run = await collectRun(ws, res.payload.runId);
    expect(run.terminal.payload.state).toBe('aborted');
    const dir = dirname(reset.payload.entry.sessionFile);
    const files = readdirSync(dir);
    const archived = files.find((f) => f.startsWith(`${oldId}.jsonl.reset.`))!;
    const lines = readFileSync(join(dir, archived), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ message: { role: 'assistant', stopReason: 'aborted' } });
    // Nothing was written to the old path after the archive.
    expect(files).not.toContain(`${oldId}.jsonl`);
  });

  it('spawn creates a child session and starts its first message; sessions.create is an alias', async () => {
    const parent = `agent:main:${uniqueKey('parent')}`;
    upstream.enqueue({ text: 'parent reply' });
    await chatTurn(ws, parent, 'hello');
    upstream.enqueue({ text: 'child reply' });
    const res = await call(ws, 'sessions.spawn', { parentSessionKey: parent, label: 'child', message: 'do the task' });
    expect(res.payload).toMatchObject({ ok: true, key: expect.stringMatching(/^agent:main:spawn:/), sessionId: expect.any(String), runStarted: true, status: 'started' });
    const run = await collectRun(ws, res.payload.runId);
    expect(textOf(run.terminal)).toBe('child reply');
    const rows = (await call(ws, 'sessions.list', { spawnedBy: parent })).payload.sessions;
    expect(rows).toEqual([expect.objectContaining({ key: res.payload.key, label: 'child', spawnedBy: parent, spawnDepth: 1 })]);
    const parentRow = (await call(ws, 'sessions.list', { search: parent.slice(11) })).payload.sessions[0];
    expect(parentRow.childSessions).toEqual([res.payload.key]);
    const created = await call(ws, 'sessions.create', { key: `agent:main:${uniqueKey('created')}` });
    expect(created.payload).toMatchObject({ ok: true, runStarted: false });
    expect(existsSync(JSON.parse(JSON.stringify(created.payload.entry)).sessionFile)).toBe(true);
    expect(readFileSync(created.payload.entry.sessionFile, 'utf8')).toContain('"type":"session"');
  });

  it('the sessions_spawn tool refuses to nest deeper than 3', async () => {
    let parent = `agent:main:${uniqueKey('root')}`;
    await call(ws, 'sessions.patch', { key: parent, label: 'root' });
    for (let depth = 1; depth <= 3; depth++) parent = (await call(ws, 'sessions.spawn', { parentSessionKey: parent })).payload.key;
    upstream.enqueue({ toolCalls: [{ name: 'sessions_spawn', arguments: { task: 'deeper' } }] }, { text: 'cannot' });
    const turn = await chatTurn(ws, parent, 'spawn again');
    expect(textOf(turn.terminal)).toBe('cannot');
    const result = JSON.parse(upstream.requests.at(-1)!.body.messages!.at(-1)!.content as string);
    expect(result).toMatchObject({ error: 'execution_failed', message: expect.stringContaining('nest 3 deep') });
  });

  it('the sessions_spawn tool starts a child from inside a run', async () => {
    const parent = `agent:main:${uniqueKey('toolparent')}`;
    upstream.enqueue({ toolCalls: [{ name: 'sessions_spawn', arguments: { task: 'background work', label: 'bg' } }] }, { text: 'child done' }, { text: 'spawned it' });
    const turn = await chatTurn(ws, parent, 'spawn a helper');
    expect(textOf(turn.terminal)).toBe('spawned it');
    const children = (await call(ws, 'sessions.list', { spawnedBy: parent })).payload.sessions;
    expect(children).toHaveLength(1);
    expect(children[0].label).toBe('bg');
  });
});
