// `agent` (two res frames: accepted, then the outcome) and `agent.wait` (docs/methods.md). Community
// clients chat through `agent` and match events by runId === idempotencyKey.
import type { AgentHandlers } from '../../generated/server/handlers.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import type { AgentRuntime } from './agent-runtime.js';
import { thinkingParam, wsCaller, type RunRequestDraft } from './chat-handlers.js';
import type { AgentRunHandle, AgentRunResult } from './run-types.js';

const DEFAULT_WAIT_MS = 30_000;
const agentErrors = errorsFor('agent');
const waitErrors = errorsFor('agent.wait');

/** Resolves with the result, or undefined when the signal fires or the time runs out first. */
function waitFor(run: AgentRunHandle, signal: AbortSignal, timeoutMs?: number): Promise<AgentRunResult | undefined> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (value: AgentRunResult | undefined): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => finish(undefined);
    if (signal.aborted) return finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(() => finish(undefined), timeoutMs);
    void run.done.then(finish);
  });
}

/** Upstream's `result.meta.agentMeta`: which session and model answered, and the tokens it took (cron run logs read it). */
function agentMetaOf(result: AgentRunResult): Record<string, unknown> {
  const slash = result.model.indexOf('/');
  const { input, output, cacheRead, cacheWrite, totalTokens } = result.usage;
  return {
    sessionId: result.sessionId,
    provider: slash > 0 ? result.model.slice(0, slash) : result.model,
    model: slash > 0 ? result.model.slice(slash + 1) : result.model,
    usage: { input, output, cacheRead, cacheWrite, total: totalTokens },
  };
}

export function createAgentHandlers(agents: AgentRuntime): AgentHandlers {
  return {
    agent: async (params, ctx) => {
      const thinking = params.thinking ? thinkingParam(params.thinking) : undefined;
      let sessionKey = params.sessionKey;
      if (!sessionKey && params.sessionId) {
        sessionKey = agents.sessions.list().find((s) => s.entry.sessionId === params.sessionId)?.key;
        if (!sessionKey) {
          throw agentErrors.SESSION_NOT_FOUND({ key: params.sessionId });
        }
      }
      const model = params.model ? (params.provider && !params.model.includes('/') ? `${params.provider}/${params.model}` : params.model) : undefined;
      const request: RunRequestDraft = { caller: wsCaller(ctx), message: params.message, idempotencyKey: params.idempotencyKey, toolEventRecipient: ctx.connection };
      if (ctx.connection.deviceId) request.idempotencyOwner = ctx.connection.deviceId;
      if (params.agentId) request.agentId = params.agentId;
      if (sessionKey) request.sessionKey = sessionKey;
      if (params.attachments) request.attachments = params.attachments;
      if (params.extraSystemPrompt) request.extraSystemPrompt = params.extraSystemPrompt;
      if (params.timeout) request.timeoutMs = params.timeout * 1000;
      if (model) request.model = model;
      if (params.label) request.label = params.label;
      if (thinking) request.thinking = thinking;
      const { run } = agents.startRun(request);
      ctx.sendInterim({ runId: run.runId, status: 'accepted', acceptedAt: run.acceptedAt });
      // The run belongs to the session: if this request goes away, only the waiting stops.
      const result = await waitFor(run, ctx.signal);
      if (!result) return { runId: run.runId, status: 'aborted', summary: 'request cancelled' };
      const payloads = result.text ? [{ text: result.text }] : [];
      const meta = {
        durationMs: Math.max(0, result.endedAt - result.startedAt),
        stopReason: result.stopReason,
        aborted: result.status === 'aborted',
        agentMeta: agentMetaOf(result),
      };
      if (result.status === 'ok') return { runId: run.runId, status: 'ok', summary: 'completed', result: { payloads, meta } };
      if (result.status === 'aborted') return { runId: run.runId, status: 'aborted', summary: 'aborted', result: { payloads, meta } };
      const summary = result.error?.message ?? result.status;
      throw agentErrors.PROVIDER_ERROR({ errorKind: result.error?.kind ?? 'unknown' }, { message: summary, payload: { runId: run.runId, status: 'error', summary } });
    },

    'agent.wait': async (params, ctx) => {
      const run = agents.getRun(params.runId);
      if (!run) {
        throw waitErrors.RUN_NOT_FOUND({ runId: params.runId });
      }
      const result = await waitFor(run, ctx.signal, params.timeoutMs ?? DEFAULT_WAIT_MS);
      if (!result) return { runId: run.runId, status: 'timeout' as const };
      return {
        runId: run.runId,
        status: result.status,
        startedAt: result.startedAt,
        endedAt: result.endedAt,
        ...(result.error ? { error: result.error.message } : {}),
      };
    },
  };
}
