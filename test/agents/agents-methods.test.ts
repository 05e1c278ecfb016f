// agents.* CRUD through the config file, and agents.files.* confined to the workspace.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatTurn } from '../chat/chat-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
  await upstream?.close();
});

const config = () => JSON.parse(readFileSync(join(gw.stateDir, 'openclaw.json'), 'utf8'));

describe('agents.*', () => {
  it('main always exists and is the default', async () => {
    const res = await call(ws, 'agents.list', {});
    expect(res.payload).toMatchObject({ defaultId: 'main', mainKey: 'main', scope: 'per-sender' });
    // Its model is agents.defaults.model, as upstream reports an agent without one of its own.
    expect(res.payload.agents).toEqual([{ id: 'main', workspace: join(gw.stateDir, 'workspace'), model: { primary: 'fake/fake-model' } }]);
  });

  it('create writes agents.list (keeping main the default) and a workspace; update and delete follow', async () => {
    const created = await call(ws, 'agents.create', { name: 'Research Bot', workspace: 'workspace-research', model: 'fake/fake-model', emoji: '🔬' });
    expect(created.payload).toEqual({ ok: true, agentId: 'research-bot', name: 'Research Bot', workspace: join(gw.stateDir, 'workspace-research'), model: 'fake/fake-model' });
    expect(config().agents.list).toEqual([
      { id: 'main', default: true },
      { id: 'research-bot', name: 'Research Bot', workspace: 'workspace-research', model: 'fake/fake-model', identity: { name: 'Research Bot', emoji: '🔬' } },
    ]);
    expect(readFileSync(join(gw.stateDir, 'workspace-research', 'IDENTITY.md'), 'utf8')).toContain('Research Bot');
    const list = await call(ws, 'agents.list', {});
    expect(list.payload.defaultId).toBe('main');
    expect(list.payload.agents.map((a: { id: string }) => a.id)).toEqual(['main', 'research-bot']);

    expect((await call(ws, 'agents.create', { name: 'research bot', workspace: 'x' })).error?.details?.code).toBe('AGENT_EXISTS');
    expect((await call(ws, 'agents.create', { name: 'Main', workspace: 'x' })).error?.details?.code).toBe('AGENT_PROTECTED');

    // The new agent runs in its own sessions, with its workspace files in the prompt.
    writeFileSync(join(gw.stateDir, 'workspace-research', 'SOUL.md'), 'You love footnotes.');
    upstream.enqueue({ text: 'researched' });
    await chatTurn(ws, 'agent:research-bot:main', 'look it up');
    const system = upstream.requests.at(-1)!.body.messages![0]!.content as string;
    expect(system).toContain('Research Bot');
    expect(system).toContain('You love footnotes.');

    const updated = await call(ws, 'agents.update', { agentId: 'research-bot', name: 'Researcher', emoji: '📚' });
    expect(updated.payload).toEqual({ ok: true, agentId: 'research-bot' });
    expect(config().agents.list[1]).toMatchObject({ name: 'Researcher', identity: { name: 'Researcher', emoji: '📚' } });
    expect((await call(ws, 'agents.update', { agentId: 'ghost', name: 'x' })).error?.details?.code).toBe('AGENT_NOT_FOUND');

    const deleted = await call(ws, 'agents.delete', { agentId: 'research-bot', deleteFiles: true });
    expect(deleted.payload).toEqual({ ok: true, agentId: 'research-bot', removedBindings: 0 });
    expect(existsSync(join(gw.stateDir, 'workspace-research'))).toBe(false);
    expect(config().agents.list).toEqual([{ id: 'main', default: true }]);
    expect((await call(ws, 'agents.delete', { agentId: 'main' })).error?.details?.code).toBe('AGENT_PROTECTED');
    expect((await call(ws, 'chat.send', { sessionKey: 'agent:research-bot:main', message: 'x', idempotencyKey: 'gone-1' })).error?.details?.code).toBe(
      'AGENT_NOT_FOUND',
    );
  });

  it('a read-only connection may list but not change agents', async () => {
    const reader = (await openReady(gw.url, gw.token, { scopes: ['operator.read'] })).socket;
    expect((await call(reader, 'agents.list', {})).ok).toBe(true);
    expect((await call(reader, 'agents.create', { name: 'x', workspace: 'x' })).error?.code).toBe('FORBIDDEN');
    expect((await call(reader, 'agents.files.set', { agentId: 'main', name: 'SOUL.md', content: 'x' })).error?.code).toBe('FORBIDDEN');
    reader.close();
  });
});

describe('agents.files.*', () => {
  it('lists the allowed files, writes and reads them, including memory/*.md', async () => {
    const listed = await call(ws, 'agents.files.list', { agentId: 'main' });
    expect(listed.payload.workspace).toBe(join(gw.stateDir, 'workspace'));
    expect(listed.payload.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['AGENTS.md', 'SOUL.md', 'MEMORY.md']));
    expect(listed.payload.files.every((f: { missing: boolean }) => f.missing)).toBe(true);
    const missing = await call(ws, 'agents.files.get', { agentId: 'main', name: 'SOUL.md' });
    expect(missing.payload).toMatchObject({ agentId: 'main', file: { name: 'SOUL.md', missing: true } });
    expect(missing.payload.file.content).toBeUndefined();

    const set = await call(ws, 'agents.files.set', { agentId: 'main', name: 'SOUL.md', content: 'Be kind.' });
    expect(set.payload).toMatchObject({ ok: true, agentId: 'main', file: { name: 'SOUL.md', missing: false, size: 8, content: 'Be kind.' } });
    const got = await call(ws, 'agents.files.get', { agentId: 'main', name: 'SOUL.md' });
    expect(got.payload.file).toMatchObject({ name: 'SOUL.md', missing: false, content: 'Be kind.', updatedAtMs: expect.any(Number) });
    await call(ws, 'agents.files.set', { agentId: 'main', name: 'memory/2026-01-02.md', content: '- met Ada' });
    const again = await call(ws, 'agents.files.list', { agentId: 'main' });
    expect(again.payload.files.find((f: { name: string }) => f.name === 'memory/2026-01-02.md')).toMatchObject({ missing: false, size: 9 });
    expect(readFileSync(join(gw.stateDir, 'workspace', 'memory', '2026-01-02.md'), 'utf8')).toBe('- met Ada');
  });

  it('rejects any name that is not a workspace file or escapes the workspace', async () => {
    mkdirSync(join(gw.stateDir, 'workspace'), { recursive: true });
    symlinkSync('/etc/hostname', join(gw.stateDir, 'workspace', 'USER.md'));
    const bad = ['../openclaw.json', '/etc/passwd', 'memory/../../openclaw.json', 'notes.txt', 'memory/x.txt', 'memory/sub/x.md', 'SOUL.md/../../x', 'USER.md', '..\\x.md'];
    for (const name of bad) {
      const set = await call(ws, 'agents.files.set', { agentId: 'main', name, content: 'x' });
      expect(set.error?.details?.code, name).toBe('FILE_NOT_ALLOWED');
      const get = await call(ws, 'agents.files.get', { agentId: 'main', name });
      expect(get.error?.details?.code, name).toBe('FILE_NOT_ALLOWED');
    }
    expect(readFileSync('/etc/hostname', 'utf8')).not.toBe('x');
    expect((await call(ws, 'agents.files.list', { agentId: 'nobody' })).error?.details?.code).toBe('AGENT_NOT_FOUND');
  });
});
