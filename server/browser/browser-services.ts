// The browser subsystem as the composition root builds it: the service, the `browser` tool in the
// agents' registry, the operator methods, and the shutdown that closes every browser.
import type { BrowserHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { createBrowserHandlers } from './browser-handlers.js';
import { BrowserService } from './browser-service.js';
import { registerBrowserTool } from './browser-tool.js';

export interface BrowserServices {
  readonly service: BrowserService;
  readonly handlers: BrowserHandlers;
}

export function createBrowserServices(rt: GatewayRuntime, agents: AgentRuntime): BrowserServices {
  const service = new BrowserService({ stateDir: rt.paths.stateDir, config: () => rt.config.config.browser, env: rt.env, logger: rt.logger });
  registerBrowserTool(agents.tools, { service, workspaceOf: (agentId) => agents.agents.workspaceOf(agentId) });
  rt.onShutdown(() => service.shutdown());
  return { service, handlers: createBrowserHandlers(service) };
}
