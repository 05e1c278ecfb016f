// The composition root's second half: the subsystem services of one gateway, built once in order,
// and every method and HTTP endpoint of the contract bound to the service that implements it. The
// generated interfaces make a missing handler a compile error.
import type { HttpHandlers } from '../generated/http/routes.js';
import type { GatewayHandlers } from '../generated/server/handlers.js';
import { AgentRuntime } from './chat/agent-runtime.js';
import { createAgentRuntimeHandlers } from './chat/agent-runtime-handlers.js';
import { createConfigHandlers } from './config/config-handlers.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { createAgentHttpHandlers } from './http/agent-http-handlers.js';
import { createProbeHandlers } from './http/probe-handlers.js';
import { createLogsHandlers } from './logs/logs-handlers.js';
import { createMemoryHandlers } from './memory/memory-handlers.js';
import type { MemoryService } from './memory/memory-service.js';
import { createMemoryService } from './memory/memory-subsystem.js';
import { planned } from './planned-handlers.js';
import { createSessionSubscriptionHandlers } from './sessions/session-subscriptions.js';
import { createSkillsHandlers } from './skills/skills-handlers.js';
import type { SkillsService } from './skills/skills-service.js';
import { createSkillsService } from './skills/skills-subsystem.js';
import { createHealthHandlers } from './system/health-handlers.js';

/** Every subsystem service of one gateway. Handlers, tools and in-process callers reach them only through here. */
export interface GatewayServices {
  readonly agents: AgentRuntime;
  readonly memory: MemoryService;
  readonly skills: SkillsService;
}

export interface GatewayHandlerSet {
  readonly methods: GatewayHandlers;
  readonly http: HttpHandlers;
}

export function createGatewayServices(rt: GatewayRuntime): GatewayServices {
  const agents = new AgentRuntime(rt);
  const memory = createMemoryService(rt, agents);
  const skills = createSkillsService(rt, agents);
  return { agents, memory, skills };
}

export function createGatewayHandlers(rt: GatewayRuntime, services: GatewayServices): GatewayHandlerSet {
  const methods: GatewayHandlers = {
    ...createHealthHandlers(rt),
    ...createLogsHandlers(rt),
    ...createConfigHandlers(rt),
    ...createAgentRuntimeHandlers(rt, services.agents),
    ...createSessionSubscriptionHandlers(services.agents),
    ...createMemoryHandlers(services.memory),
    ...createSkillsHandlers(services.skills, rt.config),
    ...planned([
      // scheduling, channels, approvals
      'cron.list',
      'cron.status',
      'cron.runs',
      'cron.add',
      'cron.update',
      'cron.remove',
      'cron.run',
      'channels.status',
      'channels.logout',
      'send',
      'exec.approvals.list',
      'exec.approvals.resolve',
      'exec.approvals.overrides',
      'exec.approvals.overrides.set',
    ]),
  };
  const http: HttpHandlers = {
    ...createProbeHandlers(rt, () => []),
    ...createAgentHttpHandlers(rt, services.agents),
  };
  return { methods, http };
}
