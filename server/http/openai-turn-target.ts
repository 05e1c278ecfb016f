// The agent and session an OpenAI-compatible request runs in, from its headers, `model` and `user`.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import { parseThinkingLevel, THINKING_LEVELS, type ThinkingLevel } from '../providers/thinking-level.js';
import { resolveAgentTarget, resolveSessionKey, type SessionKeyPrefix } from './agent-target.js';
import { errorBody, jsonResponse } from './http-errors.js';
import { headerOf } from './node-request.js';

/** The part of the agent directory the HTTP layer reads. */
export interface AgentLookup {
  defaultId(): string;
  get(id: string): { readonly id: string } | undefined;
  list(): readonly { readonly id: string; readonly isDefault: boolean }[];
}

export type TurnTarget =
  | { readonly ok: true; readonly agentId: string; readonly sessionKey: string; readonly fresh: boolean }
  | { readonly ok: false; readonly response: Response };

const MAX_SESSION_KEY = 512;

export const invalidRequest = (message: string): Response => jsonResponse(httpStatusOf('INVALID_REQUEST'), errorBody('invalid_request_error', message));

/** The agent from `x-openclaw-agent-id` / `model`; it must exist. */
export function agentOf(c: Context, agents: AgentLookup, model: string | null | undefined): { ok: true; agentId: string } | { ok: false; response: Response } {
  const target = resolveAgentTarget(model, headerOf(c, 'x-openclaw-agent-id') ?? headerOf(c, 'x-openclaw-agent'), agents.defaultId());
  if (!target.ok) return { ok: false, response: invalidRequest(target.message) };
  if (!agents.get(target.agentId)) {
    return { ok: false, response: invalidRequest(`Unknown agent "${target.agentId}"; GET /v1/models lists the models you can use.`) };
  }
  return { ok: true, agentId: target.agentId };
}

/** `x-openclaw-session-key`, else a per-`user` session, else a fresh one. */
/** `fresh`: the request named no session, so the key is new (see stateless-sessions.ts). */
export function sessionOf(c: Context, agentId: string, prefix: SessionKeyPrefix, user: string | undefined): { ok: true; sessionKey: string; fresh: boolean } | { ok: false; response: Response } {
  const header = headerOf(c, 'x-openclaw-session-key');
  if (header !== undefined && header.length > MAX_SESSION_KEY) {
    return { ok: false, response: invalidRequest(`x-openclaw-session-key is longer than ${MAX_SESSION_KEY} characters; use a shorter key.`) };
  }
  const { sessionKey, fresh } = resolveSessionKey(agentId, prefix, header, user);
  return { ok: true, sessionKey, fresh };
}

export function turnTargetOf(c: Context, agents: AgentLookup, model: string | null | undefined, user: string | undefined, prefix: SessionKeyPrefix): TurnTarget {
  const agent = agentOf(c, agents, model);
  if (!agent.ok) return agent;
  const session = sessionOf(c, agent.agentId, prefix, user);
  if (!session.ok) return session;
  return { ok: true, agentId: agent.agentId, sessionKey: session.sessionKey, fresh: session.fresh };
}

/**
 * An OpenAI reasoning effort as the turn's thinking level (`none` is `off`); absent → undefined, an
 * unknown value → a 400 naming `param`.
 */
export function thinkingOfEffort(effort: string | null | undefined, param: string): { ok: true; level: ThinkingLevel | undefined } | { ok: false; response: Response } {
  if (effort === undefined || effort === null) return { ok: true, level: undefined };
  const level = effort.trim().toLowerCase() === 'none' ? 'off' : parseThinkingLevel(effort);
  if (level) return { ok: true, level };
  return { ok: false, response: invalidRequest(`Invalid ${param} "${effort.slice(0, 32)}"; use one of none, ${THINKING_LEVELS.join(', ')}.`) };
}
