// The composition root's second half: the subsystem services of one gateway, built once in order,
// and every method and HTTP endpoint of the contract bound to the service that implements it. The
// generated interfaces make a missing handler a compile error.
import type { HttpHandlers } from '../generated/http/routes.js';
import type { GatewayHandlers } from '../generated/server/handlers.js';
import { createBrowserServices, type BrowserServices } from './browser/browser-services.js';
import { AgentRuntime } from './chat/agent-runtime.js';
import { createAgentRuntimeHandlers } from './chat/agent-runtime-handlers.js';
import { ChannelsService } from './channels/channels-service.js';
import { createChannelsHandlers } from './channels/channels-handlers.js';
import { createConfigHandlers } from './config/config-handlers.js';
import { createCronService } from './cron/cron-gateway.js';
import { createCronHandlers } from './cron/cron-handlers.js';
import type { CronService } from './cron/cron-service.js';
import { DevicesService } from './devices/devices-service.js';
import { ExecService } from './exec/exec-service.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { createAgentHttpHandlers } from './http/agent-http-handlers.js';
import { createControlUiHandlers } from './http/control-ui-handlers.js';
import { createProbeHandlers } from './http/probe-handlers.js';
import { createLogsHandlers } from './logs/logs-handlers.js';
import { createMemoryHandlers } from './memory/memory-handlers.js';
import type { MemoryService } from './memory/memory-service.js';
import { createMemoryService } from './memory/memory-subsystem.js';
import { NodesService } from './nodes/nodes-service.js';
import { createSessionSubscriptionHandlers } from './sessions/session-subscriptions.js';
import { createSkillsHandlers } from './skills/skills-handlers.js';
import type { SkillsService } from './skills/skills-service.js';
import { createSkillsService } from './skills/skills-subsystem.js';
import { createHealthHandlers } from './system/health-handlers.js';
import { createToolsHandlers } from './tools/tools-handlers.js';

/** Every subsystem service of one gateway. Handlers, tools and in-process callers reach them only through here. */
export interface GatewayServices {
  readonly agents: AgentRuntime;
  readonly exec: ExecService;
  readonly channels: ChannelsService;
  readonly browser: BrowserServices;
  readonly memory: MemoryService;
  readonly skills: SkillsService;
  readonly cron: CronService;
  readonly devices: DevicesService;
  readonly nodes: NodesService;
}

export interface GatewayHandlerSet {
  readonly methods: GatewayHandlers;
  readonly http: HttpHandlers;
}

export function createGatewayServices(rt: GatewayRuntime): GatewayServices {
  const agents = new AgentRuntime(rt);
  const exec = new ExecService(rt, { tools: agents.tools, workspaceOf: (id) => agents.agents.workspaceOf(id) });
  const channels = new ChannelsService(rt, agents.tools);
  const browser = createBrowserServices(rt, agents);
  const memory = createMemoryService(rt, agents);
  const skills = createSkillsService(rt, agents);
  const cron = createCronService(rt, agents.tools);
  const devices = new DevicesService(rt);
  const nodes = new NodesService(rt, devices, agents.tools);
  return { agents, exec, channels, browser, memory, skills, cron, devices, nodes };
}

export function createGatewayHandlers(rt: GatewayRuntime, services: GatewayServices): GatewayHandlerSet {
  const methods: GatewayHandlers = {
    ...createHealthHandlers(rt),
    ...createLogsHandlers(rt),
    ...createConfigHandlers(rt),
    ...createAgentRuntimeHandlers(rt, services.agents),
    ...createSessionSubscriptionHandlers(services.agents),
    ...createToolsHandlers(services.agents),
    ...services.exec.handlers(),
    ...createChannelsHandlers(rt, services.channels.manager, services.channels.sender),
    ...services.browser.handlers,
    ...createMemoryHandlers(services.memory),
    ...createSkillsHandlers(services.skills, rt.config),
    ...createCronHandlers(services.cron),
    ...services.devices.handlers(),
    ...services.nodes.handlers(),
  };
  const http: HttpHandlers = {
    ...createProbeHandlers(rt, () => []),
    ...createControlUiHandlers(rt),
    ...createAgentHttpHandlers(rt, services.agents),
  };
  return { methods, http };
}
