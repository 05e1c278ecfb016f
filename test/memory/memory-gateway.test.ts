// Memory through a real gateway: memory.status / memory.search, health, the hybrid path against a
// loopback embeddings server (the fake OpenAI server), a full re-embed when the embedding model
// changes, an agent run whose model calls memory_search, and memory_write confined to memory files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessCaller } from '../../server/core/in-process-caller.js';
import { chatTurn } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';
import { bearer, postJson } from '../http/http-gateway.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let admin: InProcessCaller;
let ws: RawSocket;
let workspace: string;

type Search = { mode: string; provider: string; model?: string; fallback?: string; results: { path: string; startLine: number; endLine: number; score: number; snippet: string }[] };
const search = (query: string, extra: Record<string, unknown> = {}) => admin.call('memory.search', { query, ...extra }) as Promise<Search>;
type Status = { agents: { files: number; chunks: number; mode: string; model?: string; provider: string; dirty: boolean; vector: { enabled: boolean; backend?: string; extensionVersion?: string; dims?: number } }[] };

function configWith(model: string): Record<string, unknown> {
  const base = fakeProviderConfig(upstream.baseUrl) as { agents: { defaults: Record<string, unknown> } };
  return { ...TEST_CONFIG, ...base, agents: { defaults: { ...base.agents.defaults, memorySearch: { provider: 'fake', model, outputDimensionality: 8 } } } };
}

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess(configWith('fake-embed-1'));
  admin = gw.gateway!.createCaller({ id: 'test:admin', scopes: ['operator.admin'] });
  ws = (await openReady(gw.url, gw.token)).socket;
  workspace = join(gw.stateDir, 'workspace');
  mkdirSync(join(workspace, 'memory'), { recursive: true });
  writeFileSync(join(workspace, 'MEMORY.md'), '# Memory\n\nThe deploy window is Tuesday at 14:00 UTC.\n');
  // "silent" shares no word or trigram with "listen", but the fake embeds anagrams identically.
  writeFileSync(join(workspace, 'memory', '2026-01-05.md'), 'silent\n');
  writeFileSync(join(workspace, 'memory', 'people.md'), '# People\n\nAda leads the billing team.\n');
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
  await upstream?.close();
});

describe('memory over the gateway', () => {
  it('memory.status reports the index, hybrid mode and sqlite-vec', async () => {
    const status = (await admin.call('memory.status', {})) as Status;
    expect(status.agents).toHaveLength(1);
    const main = status.agents[0]!;
    expect(main).toMatchObject({ mode: 'hybrid', model: 'fake-embed-1', provider: 'models.providers.fake', vector: { enabled: true, backend: 'sqlite-vec' } });
    expect(main.vector.extensionVersion).toMatch(/^v0\.1\./);
  });

  it('finds by meaning through the embeddings server, and by keyword', async () => {
    const byMeaning = await search('listen');
    expect(byMeaning).toMatchObject({ mode: 'hybrid', provider: 'models.providers.fake', model: 'fake-embed-1' });
    expect(byMeaning.results[0]).toMatchObject({ path: 'memory/2026-01-05.md', startLine: 1, endLine: 1, snippet: 'silent' });
    expect(byMeaning.results[0]!.score).toBeGreaterThan(0.69);
    const byKeyword = await search('billing team');
    expect(byKeyword.results[0]!.path).toBe('memory/people.md');
    const status = (await admin.call('memory.status', {})) as Status;
    expect(status.agents[0]).toMatchObject({ files: 3, dirty: false, vector: { dims: 8 } });
    expect(upstream.embeddingRequests.every((r) => r.body.model === 'fake-embed-1' && r.body.dimensions === 8)).toBe(true);
  });

  it('falls back to keywords, saying why, when the embeddings server fails', async () => {
    const result = await search('deploy window FAIL');
    expect(result.mode).toBe('keyword');
    expect(result.fallback).toMatch(/embeddings failed.*HTTP 500/);
    expect(result.results[0]!.path).toBe('MEMORY.md');
  });

  it('re-embeds every chunk when the embedding model changes', async () => {
    const before = upstream.embeddingRequests.length;
    const raw = JSON.stringify(configWith('fake-embed-2'));
    const snapshot = (await admin.call('config.get', {})) as { hash: string };
    await admin.call('config.set', { raw, baseHash: snapshot.hash });
    await expect.poll(async () => ((await admin.call('memory.status', {})) as Status).agents[0]!.model).toBe('fake-embed-2');
    const result = await search('listen');
    expect(result).toMatchObject({ mode: 'hybrid', model: 'fake-embed-2' });
    expect(result.results[0]!.path).toBe('memory/2026-01-05.md');
    const inputs = upstream.embeddingRequests.slice(before).filter((r) => r.body.model === 'fake-embed-2').flatMap((r) => r.body.input as string[]);
    expect(inputs).toEqual(expect.arrayContaining(['silent', expect.stringContaining('Ada leads'), expect.stringContaining('deploy window')]));
  });

  it('shows the open index in health', async () => {
    gw.gateway!.runtime.health.refresh();
    const health = (await admin.call('health', {})) as { memory?: Status };
    expect(health.memory?.agents[0]).toMatchObject({ agentId: 'main', files: 3, mode: 'hybrid' });
  });

  it('lets the model search memory in an agent run (memory_search through the tool loop)', async () => {
    upstream.enqueue({ toolCalls: [{ name: 'memory_search', arguments: { query: 'who leads billing' } }] }, { text: 'Ada does.' });
    const turn = await chatTurn(ws, 'agent:main:memory', 'who leads billing?');
    expect(turn.terminal.payload.state).toBe('final');
    const [first, second] = upstream.requests.slice(-2);
    expect(first!.body.messages![0]!.content).toContain('# Memory');
    expect(first!.body.tools!.map((t) => t.function.name)).toEqual(expect.arrayContaining(['memory_search', 'memory_get', 'memory_write']));
    const toolMessage = second!.body.messages!.find((m) => m.role === 'tool')!;
    const answer = JSON.parse(String(toolMessage.content)) as Search;
    expect(answer.results[0]).toMatchObject({ path: 'memory/people.md', snippet: expect.stringContaining('Ada leads the billing team') });
  });

  it('memory_get reads lines and memory_write only touches memory files (and is refused over HTTP)', async () => {
    const invoke = async (tool: string, args: unknown) => {
      const res = await postJson(`${gw.httpUrl}/tools/invoke`, { tool, args }, bearer(gw.token));
      return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } } };
    };
    const got = await invoke('memory_get', { path: 'memory/people.md', from: 3, lines: 1 });
    expect(got.body).toMatchObject({ ok: true, result: { path: 'memory/people.md', text: 'Ada leads the billing team.', from: 3, lines: 1 } });
    expect((await invoke('memory_get', { path: '../openclaw.json' })).body.ok).toBe(false);
    expect((await invoke('memory_write', { path: 'MEMORY.md', content: 'x' })).status).not.toBe(200);

    // In an agent run the model may write memory; the next search sees it at once.
    upstream.enqueue({ toolCalls: [{ name: 'memory_write', arguments: { path: 'memory/notes.md', content: 'The office plant is called Fernando.' } }] }, { text: 'noted' });
    await chatTurn(ws, 'agent:main:memory-write', 'remember the plant');
    expect((await search('plant Fernando')).results[0]!.path).toBe('memory/notes.md');
    upstream.enqueue({ toolCalls: [{ name: 'memory_write', arguments: { path: 'SOUL.md', content: 'evil' } }] }, { text: 'tried' });
    await chatTurn(ws, 'agent:main:memory-write', 'write your soul');
    const refused = upstream.requests.at(-1)!.body.messages!.filter((m) => m.role === 'tool').at(-1)!;
    expect(String(refused.content)).toMatch(/not a memory file/);
  });

  it('answers typed errors for unknown agents and disabled memory', async () => {
    await expect(admin.call('memory.search', { query: 'x', agentId: 'ghost' })).rejects.toMatchObject({ details: { code: 'AGENT_NOT_FOUND' } });
  });
});
