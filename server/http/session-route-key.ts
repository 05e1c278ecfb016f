// The `{key}` of the /sessions/{key}/… routes: checked, canonical, and known to the session store,
// else the 400 or upstream's 404 body (`{ok:false, error:{type:"not_found"}}`).
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import type { StoredSessionEntry } from '../sessions/session-store.js';
import { jsonResponse, toolErrorBody } from './http-errors.js';

const MAX_KEY_CHARS = 512;

export type SessionRoute = { readonly ok: true; readonly sessionKey: string; readonly entry: StoredSessionEntry } | { readonly ok: false; readonly response: Response };

export function sessionOfRoute(agents: AgentRuntime, rawKey: string): SessionRoute {
  const key = rawKey.trim();
  if (key === '' || key.length > MAX_KEY_CHARS) return { ok: false, response: jsonResponse(httpStatusOf('INVALID_REQUEST'), toolErrorBody('invalid_request_error', 'invalid session key')) };
  const notFound: SessionRoute = { ok: false, response: jsonResponse(httpStatusOf('SESSION_NOT_FOUND'), toolErrorBody('not_found', `Session not found: ${key}`)) };
  let sessionKey: string;
  try {
    sessionKey = agents.sessions.canonical(key);
  } catch {
    return notFound;
  }
  const entry = agents.sessions.get(sessionKey);
  return entry ? { ok: true, sessionKey, entry } : notFound;
}
