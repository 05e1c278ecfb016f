// Retention of stateless OpenAI sessions and of stored responses, through the official SDK against a
// real gateway with small limits: sessions of requests that name none do not pile up (index and
// transcripts), also those a previous process left, named ones stay, previous_response_id works within retention and an evicted or
// unknown id is a clear OpenAI-shaped 400.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi } from '../helpers/fake-openai-server.js';
import { makeStateDir, startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { httpTestConfig, startAgentGateway, type AgentGateway } from './http-gateway.js';

const STATELESS = /^agent:main:(openai|openresponses):[0-9a-f-]{36}$/;

let t: AgentGateway;
beforeAll(async () => {
  t = await startAgentGateway({
    gateway: {
      http: {
        endpoints: {
          chatCompletions: { statelessSessions: { maxEntries: 2 } },
          responses: { statelessSessions: { maxEntries: 2 }, storedResponses: { maxEntries: 3 } },
        },
      },
    },
  });
});
afterAll(() => t?.stop());

async function sessionKeys(): Promise<string[]> {
  const list = await call(t.watcher, 'sessions.list', { limit: 1000 });
  expect(list.ok).toBe(true);
  return list.payload.sessions.map((s: { key: string }) => s.key);
}

const statelessOf = (keys: string[], kind: 'openai' | 'openresponses'): string[] => keys.filter((k) => STATELESS.test(k) && k.includes(`:${kind}:`));

function transcriptCount(): number {
  const dir = join(t.gw.stateDir, 'agents', 'main', 'sessions');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length : 0;
}

/** Polls (bounded) until the condition holds: file deletion finishes just after the response. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never true: ${what}`);
}

describe('stateless /v1/chat/completions sessions', () => {
  it('do not accumulate beyond statelessSessions.maxEntries; the newest stay; named sessions are kept', async () => {
    const named = await t.openai.chat.completions.create({ model: 'openclaw', user: 'keeper', messages: [{ role: 'user', content: 'keep me' }] });
    expect(named.choices[0]!.message.content).toBeTruthy();
    const transcriptsBefore = transcriptCount();
    for (let i = 0; i < 6; i++) {
      await t.openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: `stateless ${i}` }] });
      expect(statelessOf(await sessionKeys(), 'openai').length).toBeLessThanOrEqual(2);
    }
    // A streamed request is pruned in the same way once its stream ends.
    const stream = await t.openai.chat.completions.create({ model: 'openclaw', stream: true, messages: [{ role: 'user', content: 'stateless stream' }] });
    for await (const chunk of stream) void chunk;
    await eventually(async () => statelessOf(await sessionKeys(), 'openai').length === 2, 'two stateless chat sessions left');
    const keys = await sessionKeys();
    expect(keys).toContain('agent:main:openai-user:keeper');
    // The index and the transcripts: the named session's plus the two kept stateless ones.
    await eventually(() => transcriptCount() === transcriptsBefore + 2, `transcripts back to ${transcriptsBefore + 2}`);
  });
});

describe('stateless /v1/responses sessions and stored responses', () => {
  it('previous_response_id continues a stateless session within retention, and that session is kept', async () => {
    t.upstream.enqueue({ text: 'Noted: 42.' });
    const first = await t.openai.responses.create({ model: 'openclaw', input: 'Remember 42.' });
    const keysAfterFirst = statelessOf(await sessionKeys(), 'openresponses');
    t.upstream.enqueue({ text: 'It was 42.' });
    const second = await t.openai.responses.create({ model: 'openclaw', previous_response_id: first.id, input: 'What was it?' });
    expect(second.output_text).toBe('It was 42.');
    const sent = t.upstream.requests.at(-1)!.body.messages!.filter((m) => m.role !== 'system');
    expect(sent.map((m) => m.content)).toEqual(['Remember 42.', 'Noted: 42.', 'What was it?']);
    // The continuation ran in the same stateless session: no new one appeared.
    expect(statelessOf(await sessionKeys(), 'openresponses')).toEqual(keysAfterFirst);
  });

  it('stateless response sessions stay within the bound', async () => {
    for (let i = 0; i < 5; i++) {
      await t.openai.responses.create({ model: 'openclaw', input: `one-off ${i}` });
      expect(statelessOf(await sessionKeys(), 'openresponses').length).toBeLessThanOrEqual(2);
    }
  });

  it('an id evicted from the store (beyond storedResponses.maxEntries) or never issued: 400 previous_response_not_found', async () => {
    const oldest = await t.openai.responses.create({ model: 'openclaw', input: 'first of four' });
    for (let i = 0; i < 3; i++) await t.openai.responses.create({ model: 'openclaw', input: `later ${i}` });
    for (const id of [oldest.id, 'resp_never_issued']) {
      const error = await t.openai.responses.create({ model: 'openclaw', previous_response_id: id, input: 'continue' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const body = (error as InstanceType<typeof OpenAI.APIError>).error as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' });
      expect(body.message).toContain(`Previous response with id "${id}" not found`);
      expect(body.message).toContain('gateway.http.endpoints.responses.storedResponses');
    }
  });
});

describe('stateless sessions across a restart', () => {
  it('a new process finds the sessions the last one left (by key shape) and prunes them to the bound', async () => {
    const upstream = await startFakeOpenAi();
    const configWith = (maxEntries: number) =>
      httpTestConfig({ ...fakeProviderConfig(upstream.baseUrl), gateway: { http: { endpoints: { chatCompletions: { statelessSessions: { maxEntries } } } } } });
    const stateDir = makeStateDir(configWith(5));
    const sessionsDir = join(stateDir, 'agents', 'main', 'sessions');
    const transcripts = (): string[] => (existsSync(sessionsDir) ? readdirSync(sessionsDir).filter((f) => f.endsWith('.jsonl')) : []);
    const ask = async (gw: RunningGateway, content: string): Promise<void> => {
      const openai = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0 });
      await openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content }] });
    };
    try {
      const first = await startInProcess(null, stateDir);
      for (let i = 0; i < 3; i++) await ask(first, `before restart ${i}`);
      await first.gateway!.stop();
      expect(transcripts()).toHaveLength(3);

      // The bound is now 1: the next stateless request leaves only its own session.
      writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify(configWith(1)));
      const second = await startInProcess(null, stateDir);
      try {
        await ask(second, 'after restart');
        const watcher = (await openReady(second.url, second.token)).socket;
        const stateless = async (): Promise<string[]> => {
          const list = await call(watcher, 'sessions.list', { limit: 1000 });
          return (list.payload.sessions as { key: string }[]).map((s) => s.key).filter((k) => STATELESS.test(k));
        };
        await eventually(async () => (await stateless()).length === 1 && transcripts().length === 1, 'one stateless session and transcript left');
        const history = await call(watcher, 'chat.history', { sessionKey: (await stateless())[0] });
        expect(JSON.stringify(history.payload)).toContain('after restart');
        watcher.close();
      } finally {
        await second.gateway!.stop();
      }
    } finally {
      await upstream.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
