// The HTTP endpoints backed by the agent runtime: /v1/models, /v1/chat/completions, /v1/responses,
// /v1/embeddings, /sessions/{key}/history and /kill, and /tools/invoke. An HTTP turn is an agent run like any other (same sessions, usage and events).
import type { HttpHandlers } from '../../generated/http/routes.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { createChatCompletionsHandler } from './chat-completions-handler.js';
import { createEmbeddingsHandler } from './embeddings-handler.js';
import { createSessionHistoryHandler } from './session-history-handler.js';
import { createSessionKillHandler } from './session-kill-handler.js';
import { resolveModelOverride } from './model-override.js';
import { createModelRetrieveHandler, createModelsHandler } from './models-handler.js';
import { openAiEndpointSettings } from './openai-endpoint-settings.js';
import type { OpenAiRunDeps, TurnModel } from './openai-run-deps.js';
import { createResponsesHandler } from './responses-handler.js';
import { DEFAULT_RESPONSE_STORE_LIMITS, ResponseStore } from './response-store.js';
import { StatelessSessions, type StatelessSessionHost } from './stateless-sessions.js';
import { buildToolsCatalog } from '../tools/tools-catalog.js';
import { jsonResponse, toolErrorBody } from './http-errors.js';
import { createToolsInvokeHandler } from './tools-invoke-handler.js';

/** Besides the pass after every stateless run, sessions past their TTL are pruned this often. */
const STATELESS_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

function statelessSessionHost(runtime: AgentRuntime): StatelessSessionHost {
  return {
    listSessions: () => runtime.sessions.list().map(({ key, entry }) => ({ key, updatedAt: entry.updatedAt })),
    isActive: (key) => runtime.activeRuns(key).length > 0,
    deleteSession: async (key) => {
      await runtime.exclusive(key, () => runtime.sessions.delete(key, true));
      runtime.sessionsChanged({ sessionKey: key, reason: 'delete', ts: Date.now() });
    },
  };
}

function turnModelOf(rt: GatewayRuntime, runtime: AgentRuntime, agentId: string, sessionKey: string, override: string | undefined): TurnModel | undefined {
  try {
    const model = runtime.models.resolve(override ?? runtime.sessions.get(sessionKey)?.modelOverride, agentId);
    const declared = rt.config.config.models?.providers?.[model.providerId]?.models?.find((m) => m.id === model.modelId)?.input;
    return { ref: model.ref, providerId: model.providerId, input: declared };
  } catch {
    // An unknown model: the run itself reports it.
    return undefined;
  }
}

export function createAgentHttpHandlers(
  rt: GatewayRuntime,
  runtime: AgentRuntime,
): Pick<HttpHandlers, 'models' | 'modelsRetrieve' | 'chatCompletions' | 'responses' | 'embeddings' | 'sessionHistory' | 'sessionKill' | 'toolsInvoke' | 'toolsCatalog'> {
  const settings: OpenAiRunDeps['settings'] = (endpoint) => openAiEndpointSettings(rt.config.config, endpoint);
  const statelessSessions = new StatelessSessions(
    statelessSessionHost(runtime),
    (kind) => settings(kind === 'openai' ? 'chatCompletions' : 'responses').statelessSessions,
    rt.logger,
  );
  const timer = setInterval(() => {
    statelessSessions.prune('openai');
    statelessSessions.prune('openresponses');
  }, STATELESS_PRUNE_INTERVAL_MS);
  timer.unref();
  rt.onShutdown(() => clearInterval(timer));
  const deps: OpenAiRunDeps = {
    agents: runtime.agents,
    startRun: (request) => runtime.startRun(request),
    logger: rt.logger,
    settings,
    modelOverride: (header, agentId) => resolveModelOverride(header, runtime.models, rt.config.config, agentId),
    turnModel: (agentId, sessionKey, override) => turnModelOf(rt, runtime, agentId, sessionKey, override),
    statelessSessions,
  };
  const responseStore = new ResponseStore(() => {
    const { maxEntries, ttlMs } = settings('responses').storedResponses;
    return { maxEntries, ttlMs, maxChars: DEFAULT_RESPONSE_STORE_LIMITS.maxChars };
  });
  return {
    models: createModelsHandler(runtime.agents),
    modelsRetrieve: createModelRetrieveHandler(runtime.agents),
    chatCompletions: createChatCompletionsHandler(deps),
    responses: createResponsesHandler(deps, responseStore),
    sessionHistory: createSessionHistoryHandler(rt, runtime),
    sessionKill: createSessionKillHandler(runtime),
    embeddings: createEmbeddingsHandler({ agents: runtime.agents, config: () => rt.config.config, env: rt.env, logger: rt.logger }),
    toolsCatalog: (c) => {
      const requested = c.req.query('agentId');
      const agentId = requested ? requested.toLowerCase() : runtime.agents.defaultId();
      if (!runtime.agents.get(agentId)) return jsonResponse(404, toolErrorBody('not_found', `Unknown agent "${agentId}"; agents.list shows the configured agents.`));
      return jsonResponse(200, buildToolsCatalog(runtime.tools, agentId));
    },
    toolsInvoke: createToolsInvokeHandler({
      tools: runtime.tools,
      agents: runtime.agents,
      sessionKey: (raw, agentId) => (!raw || raw === 'main' ? runtime.mainSession.keyFor(agentId) : runtime.sessions.canonical(raw)),
      logger: rt.logger,
    }),
  };
}
