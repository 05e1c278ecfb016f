// The /sessions/{key}/… routes against a real gateway. history: the transcript as JSON (limit, raw
// or encoded keys), upstream's 404 body, auth and 405, and the SSE form (a history event, then a
// message event per appended message, ended when the token is rotated away). kill: aborts the
// session's runs, from this machine only.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatHistoryResult } from '../../contract/schemas/chat.js';
import type { Context } from 'hono';
import { createSessionKillHandler } from '../../server/http/session-kill-handler.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { bearer, startAgentGateway, type AgentGateway } from './http-gateway.js';

let t: AgentGateway;
const KEY = 'agent:main:openai-user:historian';

beforeAll(async () => {
  t = await startAgentGateway();
  t.upstream.enqueue({ text: 'First answer.' });
  await t.openai.chat.completions.create({ model: 'openclaw', user: 'historian', messages: [{ role: 'user', content: 'First question' }] });
});
afterAll(() => t?.stop());

const historyUrl = (key: string, query = ''): string => `${t.gw.httpUrl}/sessions/${key}/history${query}`;

/** Reads SSE events from a fetch body until `count` events have arrived. */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, count: number, seen: { text: string }): Promise<{ event: string; data: any }[]> {
  const decoder = new TextDecoder();
  const parse = () =>
    seen.text
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) };
      });
  while (parse().length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    seen.text += decoder.decode(value, { stream: true });
  }
  return parse();
}

describe('GET /sessions/{key}/history', () => {
  it('answers the transcript as chat.history does, for a raw or URL-encoded key; limit keeps the newest', async () => {
    for (const key of [KEY, encodeURIComponent(KEY)]) {
      const res = await fetch(historyUrl(key), { headers: bearer(t.gw.token) });
      expect(res.status).toBe(200);
      const body = ChatHistoryResult.parse(await res.json());
      expect(body.sessionKey).toBe(KEY);
      expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(JSON.stringify(body.messages)).toContain('First answer.');
    }
    const last = ChatHistoryResult.parse(await (await fetch(historyUrl(KEY, '?limit=1'), { headers: bearer(t.gw.token) })).json());
    expect(last.messages.map((m) => m.role)).toEqual(['assistant']);
  });

  it('an unknown session: 404 with upstream body; no token: 401; POST: 405 with Allow', async () => {
    const missing = await fetch(historyUrl('agent:main:nobody-here'), { headers: bearer(t.gw.token) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ ok: false, error: { type: 'not_found', message: 'Session not found: agent:main:nobody-here' } });
    expect((await fetch(historyUrl(KEY))).status).toBe(401);
    const post = await fetch(historyUrl(KEY), { method: 'POST', headers: bearer(t.gw.token) });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('Accept: text/event-stream: retry, a history event, then a message event per appended message; leaving ends it', async () => {
    const sessions = t.gw.gateway!.services.agents.sessions;
    const listenersBefore = sessions.messageListenerCount;
    const controller = new AbortController();
    const res = await fetch(historyUrl(KEY), { headers: { ...bearer(t.gw.token), accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const seen = { text: '' };
    const [history] = await readEvents(reader, 1, seen);
    expect(seen.text.startsWith('retry: 1000\n\n')).toBe(true);
    expect(history!.event).toBe('history');
    expect(history!.data.messages).toHaveLength(2);

    t.upstream.enqueue({ text: 'Second answer.' });
    await t.openai.chat.completions.create({ model: 'openclaw', user: 'historian', messages: [{ role: 'user', content: 'Second question' }] });
    const events = await readEvents(reader, 3, seen);
    expect(events.slice(1).map((e) => e.event)).toEqual(['message', 'message']);
    expect(events[1]!.data).toMatchObject({ sessionKey: KEY, message: { role: 'user' }, messageSeq: 3 });
    expect(events[2]!.data).toMatchObject({ sessionKey: KEY, message: { role: 'assistant' }, messageSeq: 4 });
    expect(JSON.stringify(events[2]!.data.message)).toContain('Second answer.');
    expect(sessions.messageListenerCount).toBe(listenersBefore + 1);
    controller.abort();
    await reader.cancel().catch(() => {});
    await vi.waitFor(() => expect(sessions.messageListenerCount).toBe(listenersBefore));
  });

  it('HEAD with Accept: text/event-stream answers headers only and leaves no stream behind', async () => {
    const sessions = t.gw.gateway!.services.agents.sessions;
    const listenersBefore = sessions.messageListenerCount;
    const res = await fetch(historyUrl(KEY), { method: 'HEAD', headers: { ...bearer(t.gw.token), accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(sessions.messageListenerCount).toBe(listenersBefore);
  });

  it('POST /sessions/{key}/kill aborts the running turn ({ok:true, killed:true}), an idle session gives killed:false', async () => {
    t.watcher.frames.splice(0); // earlier turns' events must not count as this one's
    t.upstream.enqueue({ text: 'a very long answer that never ends', hangAfterChunks: 1 });
    const pending = t.openai.chat.completions.create({ model: 'openclaw', user: 'historian', messages: [{ role: 'user', content: 'Take your time' }] }).catch((e: unknown) => e);
    await t.watcher.waitFor((f) => f.event === 'chat' && f.payload.sessionKey === KEY && f.payload.state === 'delta');
    const kill = await fetch(`${t.gw.httpUrl}/sessions/${KEY}/kill`, { method: 'POST', headers: bearer(t.gw.token) });
    expect(await kill.json()).toEqual({ ok: true, killed: true });
    await pending;
    await t.watcher.waitFor((f) => f.event === 'chat' && f.payload.sessionKey === KEY && f.payload.state === 'aborted');
    const again = await fetch(`${t.gw.httpUrl}/sessions/${KEY}/kill`, { method: 'POST', headers: bearer(t.gw.token) });
    expect(await again.json()).toEqual({ ok: true, killed: false });
    const missing = await fetch(`${t.gw.httpUrl}/sessions/agent:main:nobody-here/kill`, { method: 'POST', headers: bearer(t.gw.token) });
    expect(missing.status).toBe(404);
    expect((await fetch(`${t.gw.httpUrl}/sessions/${KEY}/kill`, { headers: bearer(t.gw.token) })).headers.get('allow')).toBe('POST');
  });

  it('a kill from another machine, or through a proxy, is refused with upstream\'s 403 before any lookup', async () => {
    const handler = createSessionKillHandler(t.gw.gateway!.services.agents);
    const forbidden = { ok: false, error: { type: 'forbidden', message: 'Session kills require a local admin request or requester session ownership.' } };
    const remote = { env: { incoming: { socket: { remoteAddress: '192.0.2.7' }, headers: {} } } } as unknown as Context;
    // A reverse proxy on this machine: loopback peer, but forwarding for someone else.
    const proxied = { env: { incoming: { socket: { remoteAddress: '127.0.0.1' }, headers: { 'x-forwarded-for': '198.51.100.4' } } } } as unknown as Context;
    for (const c of [remote, proxied]) {
      for (const key of [KEY, 'agent:main:nobody-here']) {
        const res = handler(c, { key });
        expect(res.status).toBe(403);
        expect(await res.json()).toEqual(forbidden);
      }
    }
  });

  // Last: it rotates the gateway token.
  it('a stream ends at its next event once the token it was opened with is no longer valid', async () => {
    const res = await fetch(historyUrl(KEY), { headers: { ...bearer(t.gw.token), accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    const seen = { text: '' };
    await readEvents(reader, 1, seen);
    const writer = await openReady(t.gw.url, t.gw.token);
    const { payload } = await call(writer.socket, 'config.get', {});
    expect((await call(writer.socket, 'config.patch', { raw: '{"gateway":{"auth":{"token":"rotated-history-token"}}}', baseHash: payload.hash })).ok).toBe(true);
    await writer.socket.closed;
    const openai = new OpenAI({ baseURL: `${t.gw.httpUrl}/v1`, apiKey: 'rotated-history-token', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'openclaw', user: 'historian', messages: [{ role: 'user', content: 'After rotation' }] });
    const after = await readEvents(reader, 2, seen);
    expect(after.map((e) => e.event)).toEqual(['history']);
    expect((await reader.read()).done).toBe(true);
  });
});
