// models.list (docs/methods.md): what the config makes available.
import type { ModelsHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';

export function createModelsHandlers(agents: AgentRuntime): ModelsHandlers {
  return { 'models.list': () => ({ models: agents.models.list() }) };
}
