// Idempotency keys survive a kill -9: re-sending chat.send (or agent, agent.wait) with the key of a
// run that finished before the crash answers with that run instead of running the turn again and
// storing the exchange twice. A run the crash interrupted answers as an error that says so.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, collectRun, textOf, uniqueKey } from './chat-kit.js';

let upstream: FakeOpenAiServer;
let stateDir: string;
beforeAll(async () => {
  upstream = await startFakeOpenAi();
  stateDir = makeStateDir({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
});
afterAll(async () => {
  await upstream?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

async function killHard(gw: RunningGateway, socket: RawSocket): Promise<void> {
  const exited = new Promise((resolve) => gw.child!.once('exit', resolve));
  gw.child!.kill('SIGKILL');
  await exited;
  socket.close();
}

const userTurns = async (socket: RawSocket, sessionKey: string): Promise<string[]> =>
  (await call(socket, 'chat.history', { sessionKey })).payload.messages
    .filter((m: { role: string }) => m.role === 'user')
    .map((m: { content: { text?: string }[] }) => m.content[0]?.text);

describe('idempotency across kill -9', () => {
  it('a finished run is found again by its key; an interrupted one answers as interrupted; neither runs twice', async () => {
    const session = `agent:main:${uniqueKey('durable')}`;
    const done = uniqueKey('done');
    const cut = uniqueKey('cut');
    const first = await startCli(undefined, stateDir);
    const socket = (await openReady(first.url, first.token)).socket;
    upstream.enqueue({ text: 'Answered once.' });
    expect((await chatSend(socket, session, 'ask once', done)).payload).toEqual({ runId: done, status: 'started' });
    expect(textOf((await collectRun(socket, done)).terminal)).toBe('Answered once.');
    // A second run, cut off mid-stream by the kill.
    upstream.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 100 });
    const otherSession = `agent:main:${uniqueKey('other')}`;
    await chatSend(socket, otherSession, 'interrupted', cut);
    await socket.waitFor((f) => f.event === 'chat' && f.payload.runId === cut && f.payload.state === 'delta');
    await killHard(first, socket);

    const requestsBefore = upstream.requests.length;
    const second = await startCli(undefined, stateDir);
    try {
      const socket2 = (await openReady(second.url, second.token)).socket;
      expect((await chatSend(socket2, session, 'ask once', done)).payload).toEqual({ runId: done, status: 'ok' });
      expect(await call(socket2, 'agent.wait', { runId: done, timeoutMs: 1000 })).toMatchObject({ ok: true, payload: { runId: done, status: 'ok' } });
      // The `agent` method answers with the stored reply too.
      socket2.send({ type: 'req', id: 'again', method: 'agent', params: { message: 'ask once', sessionKey: session, idempotencyKey: done } });
      const accepted = await socket2.waitFor((f) => f.type === 'res' && f.id === 'again');
      expect(accepted.payload).toMatchObject({ runId: done, status: 'accepted' });
      const outcome = await socket2.waitFor((f) => f.type === 'res' && f.id === 'again');
      expect(outcome.payload).toMatchObject({ runId: done, status: 'ok', result: { payloads: [{ text: 'Answered once.' }] } });
      expect(await userTurns(socket2, session)).toEqual(['ask once']);

      const interrupted = await chatSend(socket2, otherSession, 'interrupted', cut);
      expect(interrupted.payload).toMatchObject({ runId: cut, status: 'error', summary: expect.stringMatching(/restarted before this run finished/) });
      expect(await userTurns(socket2, otherSession)).toEqual(['interrupted']);
      socket2.close();
    } finally {
      await second.stop();
    }
    expect(upstream.requests.length - requestsBefore).toBe(0);
  });
});
