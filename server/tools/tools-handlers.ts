// tools.catalog (docs/methods.md) over WebSocket; GET /tools/catalog serves the same builder.
import type { ToolsHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { buildToolsCatalog } from './tools-catalog.js';

export function createToolsHandlers(agents: AgentRuntime): ToolsHandlers {
  return {
    'tools.catalog': (params) => buildToolsCatalog(agents.tools, agents.agents.require(params.agentId ?? agents.agents.defaultId()).id),
  };
}
