// GET /sessions/{key}/history: a session's transcript over HTTP, as chat.history answers it. With
// `Accept: text/event-stream` the answer is a stream: `retry: 1000`, a `history` event, then a
// `message` event for every message appended to the session, and a keepalive comment every 15 s.
// A stream ends when the client leaves, the gateway stops, or the bearer secret stops being valid
// (a rotated token), checked on every event and keepalive.
import type { Context } from 'hono';
import type { ChatHistoryResult } from '../../contract/schemas/chat.js';
import type { EventPayload } from '../../generated/server/method-types.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { configuredHistoryMaxChars, historyMessages } from '../chat/chat-history.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { presentsGatewaySecret } from './bearer-auth.js';
import { jsonResponse } from './http-errors.js';
import { headerOf } from './node-request.js';
import { sessionOfRoute } from './session-route-key.js';
import { SseStream } from './sse-stream.js';

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;
const KEEPALIVE_MS = 15_000;

/** `?limit=`: absent → 200; below 1 or not a number → 1; at most 1000 (upstream's reading). */
function limitOf(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_LIMIT;
  const value = Number.parseInt(raw, 10);
  return Number.isFinite(value) && value >= 1 ? Math.min(MAX_LIMIT, value) : 1;
}

export function createSessionHistoryHandler(rt: GatewayRuntime, agents: AgentRuntime): (c: Context, params: { readonly key: string }) => Response {
  /** The stop of every open stream, so shutdown ends them all. */
  const open = new Set<() => void>();
  rt.onShutdown(() => {
    for (const stop of [...open]) stop();
  });
  return (c, params) => {
    const session = sessionOfRoute(agents, params.key);
    if (!session.ok) return session.response;
    const { sessionKey, entry } = session;
    const maxChars = configuredHistoryMaxChars(rt.config.config);
    const limit = limitOf(c.req.query('limit'));
    const history: ChatHistoryResult = {
      sessionKey,
      sessionId: entry.sessionId,
      messages: historyMessages(agents.sessions.transcript(sessionKey)?.tail(limit) ?? [], limit, maxChars),
    };
    // HEAD gets the JSON form: its body is dropped, so a stream would never be read or closed.
    if (c.req.method === 'HEAD' || !(headerOf(c, 'accept') ?? '').toLowerCase().includes('text/event-stream')) return jsonResponse(200, history);
    return historyStream(c, rt, agents, history, maxChars, open);
  };
}

function historyStream(c: Context, rt: GatewayRuntime, agents: AgentRuntime, history: ChatHistoryResult, maxChars: number, open: Set<() => void>): Response {
  const sse = new SseStream(c.req.raw.signal);
  const authorization = headerOf(c, 'authorization');
  const stillAuthorized = (): boolean => presentsGatewaySecret(authorization, rt.settings().auth);
  sse.control('retry: 1000');
  sse.event('history', history);
  let unsubscribe: (() => void) | undefined;
  let keepalive: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (!open.delete(stop)) return;
    unsubscribe?.();
    clearInterval(keepalive);
    sse.end();
  };
  open.add(stop);
  unsubscribe = agents.sessions.onMessageAppended((key, appended, messageSeq) => {
    if (key !== history.sessionKey) return;
    if (!stillAuthorized()) return stop();
    const [message] = historyMessages([appended], 1, maxChars);
    if (!message) return;
    const payload: Pick<EventPayload<'session.message'>, 'sessionKey' | 'message' | 'messageId' | 'messageSeq'> = { sessionKey: key, message, messageId: appended.id, messageSeq };
    sse.event('message', payload);
  });
  keepalive = setInterval(() => (stillAuthorized() ? sse.control(': keepalive') : stop()), KEEPALIVE_MS);
  keepalive.unref();
  sse.onClose(stop);
  return sse.response;
}
