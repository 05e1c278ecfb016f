// sessions.list / preview / patch / reset / delete / compact / spawn (docs/methods.md), each change
// announced as `sessions.changed`.
import type { SessionsHandlers } from '../../generated/server/handlers.js';
import type { MethodParams } from '../../generated/server/method-types.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { thinkingParam, wsCaller } from '../chat/chat-handlers.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import { compactByLines, compactBySummary } from './session-compaction.js';
import type { SessionSubscriptionMethod } from './session-subscriptions.js';
import { toSessionRow } from './session-rows.js';
import type { StoredSessionEntry } from './session-store.js';
import { isMessageEntry, messageText } from './transcript-types.js';

const resetErrors = errorsFor('sessions.reset');
const deleteErrors = errorsFor('sessions.delete');
const compactErrors = errorsFor('sessions.compact');

/** Patch fields stored as given (null clears). `model` is handled separately. */
const PATCH_FIELDS = [
  'label',
  'thinkingLevel',
  'fastMode',
  'verboseLevel',
  'traceLevel',
  'reasoningLevel',
  'responseUsage',
  'elevatedLevel',
  'execHost',
  'execSecurity',
  'execAsk',
  'execNode',
  'spawnedBy',
  'spawnedWorkspaceDir',
  'spawnDepth',
  'subagentRole',
  'subagentControlScope',
  'sendPolicy',
  'groupActivation',
] as const satisfies readonly (keyof MethodParams<'sessions.patch'>)[];

const entryPayload = (entry: StoredSessionEntry) => ({ ...entry });

/** The subscription methods live in session-subscriptions.ts (they need the event hub). */
export function createSessionsHandlers(agents: AgentRuntime): Omit<SessionsHandlers, SessionSubscriptionMethod> {
  const { sessions } = agents;
  return {
    'sessions.list': (params) => {
      const agentIds = params.agentId ? [agents.agents.require(params.agentId).id] : undefined;
      const since = params.activeMinutes ? Date.now() - params.activeMinutes * 60_000 : 0;
      const search = params.search?.toLowerCase();
      let rows = sessions
        .list(agentIds)
        .filter(({ key, entry }) => {
          if (entry.updatedAt < since) return false;
          if (params.label !== undefined && entry.label !== params.label) return false;
          if (params.spawnedBy !== undefined && entry.spawnedBy !== sessions.canonical(params.spawnedBy)) return false;
          if (!params.includeGlobal && key.endsWith(':global')) return false;
          if (search && ![key, entry.label, entry.derivedTitle, entry.displayName].some((v) => typeof v === 'string' && v.toLowerCase().includes(search))) return false;
          return true;
        })
        .sort((a, b) => b.entry.updatedAt - a.entry.updatedAt);
      const count = rows.length;
      if (params.limit) rows = rows.slice(0, params.limit);
      const defaultAgent = params.agentId ? agents.agents.require(params.agentId).id : agents.agents.defaultId();
      const model = agents.models.resolve(undefined, defaultAgent);
      return {
        ts: Date.now(),
        path: sessions.indexPath(defaultAgent),
        count,
        defaults: { modelProvider: model.providerId, model: model.modelId, contextTokens: model.contextWindow ?? null },
        sessions: rows.map(({ key, entry }) =>
          toSessionRow(key, entry, { lastMessage: params.includeLastMessage ?? false, derivedTitle: params.includeDerivedTitles ?? false }),
        ),
      };
    },

    'sessions.preview': (params) => ({
      ts: Date.now(),
      previews: params.keys.map((rawKey) => {
        const key = sessions.canonical(rawKey);
        if (!sessions.get(key)) return { key: rawKey, status: 'missing' as const, items: [] };
        try {
          const entries = sessions.transcript(key)?.load() ?? [];
          const messages = entries.filter(isMessageEntry).slice(-(params.limit ?? 12));
          const maxChars = params.maxChars ?? 240;
          const items = messages.map(({ message }) => {
            const text = message.role === 'assistant' && !messageText(message) ? '[tool call]' : messageText(message);
            return {
              role: message.role === 'toolResult' ? ('tool' as const) : message.role,
              text: text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text,
            };
          });
          return { key: rawKey, status: items.length ? ('ok' as const) : ('empty' as const), items };
        } catch {
          return { key: rawKey, status: 'error' as const, items: [] };
        }
      }),
    }),

    'sessions.patch': (params) => {
      const key = sessions.canonical(params.key);
      const agentId = agents.agents.require(sessions.agentOf(key)).id;
      if (params.model) agents.models.resolve(params.model, agentId);
      if (typeof params.thinkingLevel === 'string') thinkingParam(params.thinkingLevel, 'thinkingLevel');
      const { created } = sessions.ensure(key);
      const entry = sessions.update(key, (e) => {
        const record = e as Record<string, unknown>;
        for (const field of PATCH_FIELDS) {
          const value = params[field];
          if (value === null) delete record[field];
          else if (value !== undefined) record[field] = value;
        }
        if (params.model === null) delete e.modelOverride;
        else if (params.model !== undefined) e.modelOverride = params.model;
        e.updatedAt = Date.now();
      })!;
      const resolved = agents.models.resolve(entry.modelOverride, agentId);
      agents.sessionsChanged({ sessionKey: key, reason: created ? 'create' : 'patch', ts: Date.now() });
      return { ok: true as const, path: sessions.indexPath(agentId), key, entry: entryPayload(entry), resolved: { modelProvider: resolved.providerId, model: resolved.modelId } };
    },

    'sessions.reset': async (params) => {
      const key = sessions.canonical(params.key);
      if (!sessions.get(key)) throw resetErrors.SESSION_NOT_FOUND({ key });
      await agents.abortAndSettle(key);
      const reset = (await agents.exclusive(key, () => sessions.reset(key)))!;
      agents.sessionsChanged({ sessionKey: key, reason: params.reason ?? 'reset', ts: Date.now() });
      return { ok: true as const, key, entry: entryPayload(reset.entry) };
    },

    'sessions.delete': async (params) => {
      const key = sessions.canonical(params.key);
      if (!sessions.get(key)) throw deleteErrors.SESSION_NOT_FOUND({ key });
      if (agents.activeRuns(key).length > 0) throw deleteErrors.SESSION_BUSY({ key });
      const outcome = await agents.exclusive(key, () => sessions.delete(key, params.deleteTranscript ?? false));
      agents.sessionsChanged({ sessionKey: key, reason: 'delete', ts: Date.now() });
      return { ok: true as const, key, deleted: outcome.deleted, archived: outcome.archived };
    },

    'sessions.compact': async (params, ctx) => {
      const key = sessions.canonical(params.key);
      const entry = sessions.get(key);
      if (!entry) throw compactErrors.SESSION_NOT_FOUND({ key });
      if (agents.activeRuns(key).length > 0) throw compactErrors.SESSION_BUSY({ key });
      const file = sessions.transcript(key);
      if (!file || !file.exists()) return { ok: true, key, compacted: false, reason: 'no transcript' };
      const model = params.maxLines === undefined ? agents.models.resolve(entry.modelOverride, sessions.agentOf(key)) : undefined;
      const outcome = await agents.exclusive(key, () =>
        params.maxLines !== undefined ? compactByLines(file, params.maxLines) : compactBySummary(file, model!, ctx.signal),
      );
      if (outcome.compacted) {
        sessions.update(key, (e) => {
          e.compactionCheckpointCount = (e.compactionCheckpointCount ?? 0) + 1;
          e.updatedAt = Date.now();
        });
        agents.sessionsChanged({ sessionKey: key, reason: 'compact', compacted: true, ts: Date.now() });
      }
      return { ok: true, key, ...outcome };
    },

    'sessions.spawn': async (params, ctx) => {
      const message = params.message ?? params.task;
      const outcome = agents.spawnSession({
        caller: wsCaller(ctx),
        ...(params.agentId ? { agentId: params.agentId } : {}),
        ...(params.key ? { key: params.key } : {}),
        ...(params.label ? { label: params.label } : {}),
        ...(params.parentSessionKey ? { parentSessionKey: params.parentSessionKey } : {}),
        ...(params.model ? { model: params.model } : {}),
        ...(message ? { message } : {}),
        toolEventRecipient: ctx.connection,
      });
      // The new session is on disk before the caller hears of it.
      await sessions.transcript(outcome.key)?.flush();
      return {
        ok: true as const,
        key: outcome.key,
        sessionId: outcome.sessionId,
        entry: entryPayload(outcome.entry),
        runStarted: outcome.run !== undefined,
        ...(outcome.run ? { runId: outcome.run.runId, status: 'started' as const } : {}),
      };
    },
  };
}
