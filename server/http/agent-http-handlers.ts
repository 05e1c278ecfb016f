// The HTTP endpoints backed by the agent runtime: /v1/models, /v1/chat/completions, /v1/responses
// and /tools/invoke. An HTTP turn is an agent run like any other (same sessions, usage and events).
import type { HttpHandlers } from '../../generated/http/routes.js';
import { agentRuntimeOf } from '../chat/agent-runtime.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { createChatCompletionsHandler } from './chat-completions-handler.js';
import { createModelsHandler } from './models-handler.js';
import type { OpenAiRunDeps } from './openai-run-deps.js';
import { createResponsesHandler } from './responses-handler.js';
import { ResponseStore } from './response-store.js';
import { createToolsInvokeHandler } from './tools-invoke-handler.js';

export function createAgentHttpHandlers(rt: GatewayRuntime): Pick<HttpHandlers, 'models' | 'chatCompletions' | 'responses' | 'toolsInvoke'> {
  const runtime = agentRuntimeOf(rt);
  const deps: OpenAiRunDeps = { agents: runtime.agents, startRun: (request) => runtime.startRun(request), logger: rt.logger };
  return {
    models: createModelsHandler(runtime.agents),
    chatCompletions: createChatCompletionsHandler(deps),
    responses: createResponsesHandler(deps, new ResponseStore()),
    toolsInvoke: createToolsInvokeHandler({
      tools: runtime.tools,
      agents: runtime.agents,
      mainKey: () => rt.config.config.session?.mainKey ?? 'main',
      logger: rt.logger,
    }),
  };
}
