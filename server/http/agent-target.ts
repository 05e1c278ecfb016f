// Which agent and which session an OpenAI-compatible request talks to (docs/http.md "Chat completions and responses").
import { randomUUID } from 'node:crypto';

const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const MODEL_PREFIXES = ['openclaw/', 'openclaw:', 'agent:'] as const;

export type AgentTarget = { readonly ok: true; readonly agentId: string } | { readonly ok: false; readonly message: string };

export const INVALID_MODEL_MESSAGE = 'Invalid model. Use `openclaw` (the default agent), `openclaw/<agentId>`, `openclaw:<agentId>` or `agent:<agentId>`; GET /v1/models lists them.';

/**
 * `x-openclaw-agent-id` (or `x-openclaw-agent`) wins; else `model`: `openclaw`, `openclaw/default`
 * → the default agent; `openclaw/<id>`, `openclaw:<id>`, `agent:<id>` → that agent. Ids fold to lower case.
 */
export function resolveAgentTarget(model: string | undefined | null, headerAgentId: string | undefined, defaultAgentId: string): AgentTarget {
  const header = headerAgentId?.trim();
  if (header) {
    return AGENT_ID.test(header) ? { ok: true, agentId: header.toLowerCase() } : { ok: false, message: `Invalid agent id in x-openclaw-agent-id: use letters, digits, "_" or "-" (at most 64).` };
  }
  const name = (model ?? 'openclaw').trim();
  if (name === 'openclaw' || name === 'openclaw/default') return { ok: true, agentId: defaultAgentId };
  for (const prefix of MODEL_PREFIXES) {
    if (name.startsWith(prefix)) {
      const id = name.slice(prefix.length);
      if (id === 'default' && prefix !== 'agent:') return { ok: true, agentId: defaultAgentId };
      if (AGENT_ID.test(id)) return { ok: true, agentId: id.toLowerCase() };
    }
  }
  return { ok: false, message: INVALID_MODEL_MESSAGE };
}

/** `openai` for chat completions, `openresponses` for the Responses API (upstream's prefixes). */
export type SessionKeyPrefix = 'openai' | 'openresponses';

export interface SessionKeyChoice {
  readonly sessionKey: string;
  /** True when the request named no session, so the key is new and used once. */
  readonly fresh: boolean;
}

/** Header `x-openclaw-session-key` verbatim; else `agent:<id>:<prefix>-user:<user>` (lower case); else a fresh key. */
export function resolveSessionKey(agentId: string, prefix: SessionKeyPrefix, headerKey: string | undefined, user: string | undefined): SessionKeyChoice {
  const header = headerKey?.trim();
  if (header) return { sessionKey: header, fresh: false };
  const who = user?.trim();
  if (who) return { sessionKey: `agent:${agentId}:${prefix}-user:${who}`.toLowerCase(), fresh: false };
  return { sessionKey: `agent:${agentId}:${prefix}:${randomUUID()}`, fresh: true };
}
