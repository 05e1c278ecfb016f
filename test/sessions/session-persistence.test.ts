// Sessions survive a restart and a kill -9; a torn last transcript line is repaired on read.
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../server/gateway.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, startCli, TEST_CONFIG } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, chatTurn, textOf, uniqueKey } from '../chat/chat-kit.js';

let upstream: FakeOpenAiServer;
beforeAll(async () => {
  upstream = await startFakeOpenAi();
});
afterAll(() => upstream?.close());

async function startOn(stateDir: string) {
  const gateway = await createGateway({
    stateDir,
    port: 0,
    env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: '', OPENCLAW_CONFIG_PATH: '', OPENCLAW_STATE_DIR: '' },
    validateContract: true,
  });
  const info = await gateway.listen();
  const socket = (await openReady(info.url, gateway.token)).socket;
  return { gateway, socket };
}

const transcriptFiles = (stateDir: string): string[] =>
  readdirSync(join(stateDir, 'agents', 'main', 'sessions')).filter((f) => f.endsWith('.jsonl')).map((f) => join(stateDir, 'agents', 'main', 'sessions', f));

const historyTexts = async (socket: RawSocket, sessionKey: string): Promise<string[]> => {
  const res = await call(socket, 'chat.history', { sessionKey });
  return res.payload.messages.map((m: { role: string; content: { text?: string }[] }) => `${m.role}:${m.content.map((b) => b.text ?? '').join('')}`);
};

describe('session persistence', () => {
  it('transcripts and the index survive a restart in upstream layout', async () => {
    const stateDir = makeStateDir({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
    try {
      const first = await startOn(stateDir);
      upstream.enqueue({ text: 'Remembered reply.' });
      await chatTurn(first.socket, 'main', 'remember this');
      first.socket.close();
      await first.gateway.stop();

      const index = JSON.parse(readFileSync(join(stateDir, 'agents', 'main', 'sessions', 'sessions.json'), 'utf8'));
      expect(index['agent:main:main']).toMatchObject({ sessionId: expect.any(String), updatedAt: expect.any(Number), inputTokens: expect.any(Number) });
      const lines = readFileSync(transcriptFiles(stateDir)[0]!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ type: 'session', version: 3, id: index['agent:main:main'].sessionId });
      expect(lines.slice(1).map((l) => `${l.type}:${l.message.role}`)).toEqual(['message:user', 'message:assistant']);
      expect(lines[2].parentId).toBe(lines[1].id);

      const second = await startOn(stateDir);
      expect(await historyTexts(second.socket, 'main')).toEqual(['user:remember this', 'assistant:Remembered reply.']);
      const list = await call(second.socket, 'sessions.list', {});
      expect(list.payload.sessions.map((s: { key: string }) => s.key)).toContain('agent:main:main');
      upstream.enqueue({ text: 'Still here.' });
      await chatTurn(second.socket, 'main', 'and now?');
      expect(upstream.requests.at(-1)!.body.messages!.slice(1).map((m) => m.content)).toEqual(['remember this', 'Remembered reply.', 'and now?']);
      second.socket.close();
      await second.gateway.stop();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('a torn last line is cut off on read and the session carries on', async () => {
    const stateDir = makeStateDir({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
    try {
      const first = await startOn(stateDir);
      upstream.enqueue({ text: 'Complete reply.' });
      await chatTurn(first.socket, 'main', 'before the crash');
      first.socket.close();
      await first.gateway.stop();
      const file = transcriptFiles(stateDir)[0]!;
      const intact = readFileSync(file, 'utf8');
      appendFileSync(file, '{"type":"message","id":"deadbeef","parentId":null,"timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"assistant","content":[{"type":"text","text":"half a li');

      const second = await startOn(stateDir);
      expect(await historyTexts(second.socket, 'main')).toEqual(['user:before the crash', 'assistant:Complete reply.']);
      expect(readFileSync(file, 'utf8')).toBe(intact);
      upstream.enqueue({ text: 'After repair.' });
      await chatTurn(second.socket, 'main', 'after the crash');
      const lastLine = () => JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!);
      await expect.poll(() => lastLine().message.content[0].text).toBe('After repair.');
      second.socket.close();
      await second.gateway.stop();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('a transcript whose index entry was lost in a crash gets its entry back', async () => {
    const stateDir = makeStateDir({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
    try {
      const first = await startOn(stateDir);
      upstream.enqueue({ text: 'Orphaned reply.' });
      await chatTurn(first.socket, 'agent:main:orphan', 'will the index forget me?');
      first.socket.close();
      await first.gateway.stop();
      // The crash: the index write never happened.
      writeFileSync(join(stateDir, 'agents', 'main', 'sessions', 'sessions.json'), '{}\n');
      const second = await startOn(stateDir);
      expect(await historyTexts(second.socket, 'agent:main:orphan')).toEqual(['user:will the index forget me?', 'assistant:Orphaned reply.']);
      second.socket.close();
      await second.gateway.stop();
      const index = JSON.parse(readFileSync(join(stateDir, 'agents', 'main', 'sessions', 'sessions.json'), 'utf8'));
      expect(Object.keys(index)).toEqual(['agent:main:orphan']);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('kill -9 of the CLI gateway, mid-run and after a run, loses no completed turn', async () => {
    const stateDir = makeStateDir({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
    const session = `agent:main:${uniqueKey('kill')}`;
    const first = await startCli(undefined, stateDir);
    const socket = (await openReady(first.url, first.token)).socket;
    upstream.enqueue({ text: 'Durable reply.' });
    await chatTurn(socket, session, 'first turn');
    upstream.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `x${i} `), chunkDelayMs: 100 });
    const res = await chatSend(socket, session, 'second turn');
    await socket.waitFor((f) => f.event === 'chat' && f.payload.runId === res.payload.runId && f.payload.state === 'delta');
    const exited = new Promise((r) => first.child!.once('exit', r));
    first.child!.kill('SIGKILL');
    await exited;
    socket.close();

    const second = await startCli(undefined, stateDir);
    try {
      const socket2 = (await openReady(second.url, second.token)).socket;
      const texts = await historyTexts(socket2, session);
      expect(texts.slice(0, 3)).toEqual(['user:first turn', 'assistant:Durable reply.', 'user:second turn']);
      upstream.enqueue({ text: 'Back again.' });
      const turn = await chatTurn(socket2, session, 'third turn');
      expect(textOf(turn.terminal)).toBe('Back again.');
      socket2.close();
    } finally {
      await second.stop();
    }
  });
});
