// chat.send / abort / history / inject over the agent runtime (docs/methods.md).
import type { ChatHandlers } from '../../generated/server/handlers.js';
import type { MethodResult } from '../../generated/server/method-types.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import { invalidParams } from '../core/gateway-error.js';
import type { MethodContext } from '../core/method-context.js';
import type { Mutable } from '../core/mutable.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { parseThinkingLevel, THINKING_LEVELS, type ThinkingLevel } from '../providers/thinking-level.js';
import type { StoredMessage } from '../sessions/transcript-types.js';
import type { AgentRuntime } from './agent-runtime.js';
import { configuredHistoryMaxChars, historyMessages } from './chat-history.js';
import type { AgentRunHandle, AgentRunRequest } from './run-types.js';

/** A run request built field by field (no literal properties after a spread: V8 11.3 gives each such object its own map). */
export type RunRequestDraft = Mutable<AgentRunRequest>;

const STOP_COMMANDS = new Set(['/stop', '/abort']);
const ADMIN_ONLY = ['originatingChannel', 'originatingTo', 'originatingAccountId', 'originatingThreadId', 'systemInputProvenance', 'systemProvenanceReceipt'] as const;

const injectErrors = errorsFor('chat.inject');

export const wsCaller = (ctx: MethodContext) => ({ kind: 'ws' as const, id: ctx.connection.connId, scopes: ctx.scopes });

/** A thinking-level param (`field`) as a level; INVALID_REQUEST naming the accepted levels when it names none. */
export function thinkingParam(raw: string, field = 'thinking'): ThinkingLevel {
  const level = parseThinkingLevel(raw);
  if (level) return level;
  throw invalidParams(`invalid ${field} "${raw.slice(0, 64)}"; use one of ${THINKING_LEVELS.join(', ')}`, { field, value: raw.slice(0, 64), accepted: [...THINKING_LEVELS] });
}

/** chat.send's answer for a run it did not start (same idempotencyKey). */
export function cachedOutcome(run: AgentRunHandle) {
  const result = run.result();
  if (!result) return { runId: run.runId, status: 'in_flight' as const };
  if (result.status === 'ok') return { runId: run.runId, status: 'ok' as const };
  return { runId: run.runId, status: 'error' as const, summary: result.error?.message ?? result.status };
}

function bareKeyOf(agents: AgentRuntime, agentId: string, bare: string): string {
  const id = agentId.toLowerCase();
  const trimmed = bare.trim();
  return trimmed === '' || trimmed === 'main' ? agents.mainSession.keyFor(id) : `agent:${id}:${trimmed}`;
}

export function createChatHandlers(rt: GatewayRuntime, agents: AgentRuntime): ChatHandlers {
  return {
    'chat.send': (params, ctx) => {
      if (!ctx.scopes.has('operator.admin')) {
        const used = ADMIN_ONLY.filter((field) => params[field] !== undefined);
        if (used.length) throw invalidParams(`${used.join(', ')} require admin scope`);
      }
      const thinking = params.thinking ? thinkingParam(params.thinking) : undefined;
      // A bare key belongs to the agent named in the request, else to the default agent; the alias "main" is its main session.
      const sessionKey = agents.sessions.canonical(params.agentId && !params.sessionKey.startsWith('agent:') ? bareKeyOf(agents, params.agentId, params.sessionKey) : params.sessionKey);
      if (STOP_COMMANDS.has(params.message.trim().toLowerCase()) && !params.attachments?.length) {
        const runIds = agents.abortRuns(sessionKey);
        return { ok: true as const, aborted: runIds.length > 0, runIds };
      }
      const request: RunRequestDraft = { caller: wsCaller(ctx), sessionKey, message: params.message, idempotencyKey: params.idempotencyKey, toolEventRecipient: ctx.connection };
      if (ctx.connection.deviceId) request.idempotencyOwner = ctx.connection.deviceId;
      if (params.agentId) request.agentId = params.agentId;
      if (params.attachments) request.attachments = params.attachments;
      if (params.timeoutMs) request.timeoutMs = params.timeoutMs;
      if (thinking) request.thinking = thinking;
      const { run, reused } = agents.startRun(request);
      // A tool-events client joins every active run of the session it talks to.
      if (ctx.connection.caps.has('tool-events')) for (const other of agents.activeRuns(sessionKey)) other.addToolEventRecipient(ctx.connection);
      return reused ? cachedOutcome(run) : { runId: run.runId, status: 'started' as const };
    },

    'chat.abort': (params) => {
      const runIds = agents.abortRunsAndAnnounce(params.sessionKey, params.runId);
      return { ok: true as const, aborted: runIds.length > 0, runIds };
    },

    'chat.history': (params) => {
      const sessionKey = agents.sessions.canonical(params.sessionKey);
      const entry = agents.sessions.get(sessionKey);
      if (!entry) return { sessionKey, messages: [] };
      const transcript = agents.sessions.transcript(sessionKey);
      const maxChars = params.maxChars ?? configuredHistoryMaxChars(rt.config.config);
      const messages = historyMessages(transcript?.load() ?? [], params.limit ?? 200, maxChars);
      const result: MethodResult<'chat.history'> = { sessionKey, sessionId: entry.sessionId, messages };
      if (typeof entry.thinkingLevel === 'string') result.thinkingLevel = entry.thinkingLevel;
      if (typeof entry.fastMode === 'boolean') result.fastMode = entry.fastMode;
      if (typeof entry.verboseLevel === 'string') result.verboseLevel = entry.verboseLevel;
      return result;
    },

    'chat.inject': (params) => {
      const sessionKey = agents.sessions.canonical(params.sessionKey);
      const transcript = agents.sessions.transcript(sessionKey);
      if (!transcript) {
        throw injectErrors.SESSION_NOT_FOUND({ key: sessionKey }, `session not found: ${sessionKey}; start it with chat.send or sessions.spawn first`);
      }
      const now = Date.now();
      const message: StoredMessage = {
        role: 'assistant',
        content: [{ type: 'text', text: params.message }],
        timestamp: now,
        stopReason: 'injected',
        ...(params.label ? { label: params.label } : {}),
      };
      const entry = transcript.appendMessage(message, now);
      agents.sessions.update(sessionKey, (e) => {
        e.updatedAt = now;
        e.lastMessagePreview = params.message.slice(0, 200);
      });
      rt.hub.publish('chat', {
        runId: `inject-${entry.id}`,
        sessionKey,
        seq: 0,
        state: 'final',
        message: { role: 'assistant', content: [{ type: 'text', text: params.message }], timestamp: now },
      });
      agents.sessionsChanged({ sessionKey, reason: 'inject', phase: 'message', messageId: entry.id, ts: now });
      return { ok: true as const, messageId: entry.id };
    },
  };
}
