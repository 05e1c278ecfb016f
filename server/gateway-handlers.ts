// Every method and HTTP endpoint of the contract, bound to the subsystem that implements it.
// The generated interfaces make a missing one a compile error.
import type { HttpHandlers } from '../generated/http/routes.js';
import type { GatewayHandlers } from '../generated/server/handlers.js';
import { createAgentRuntimeHandlers } from './chat/agent-runtime-handlers.js';
import { createConfigHandlers } from './config/config-handlers.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { createAgentHttpHandlers } from './http/agent-http-handlers.js';
import { createProbeHandlers } from './http/probe-handlers.js';
import { createLogsHandlers } from './logs/logs-handlers.js';
import { planned } from './planned-handlers.js';
import { createSessionSubscriptionHandlers } from './sessions/session-subscriptions.js';
import { createHealthHandlers } from './system/health-handlers.js';

export interface GatewayHandlerSet {
  readonly methods: GatewayHandlers;
  readonly http: HttpHandlers;
}

export function createGatewayHandlers(rt: GatewayRuntime): GatewayHandlerSet {
  const methods: GatewayHandlers = {
    ...createHealthHandlers(rt),
    ...createLogsHandlers(rt),
    ...createConfigHandlers(rt),
    ...createAgentRuntimeHandlers(rt),
    ...createSessionSubscriptionHandlers(rt),
    ...planned([
      // scheduling, channels, approvals, skills
      'cron.list',
      'cron.status',
      'cron.runs',
      'cron.add',
      'cron.update',
      'cron.remove',
      'cron.run',
      'channels.status',
      'channels.logout',
      'exec.approvals.list',
      'exec.approvals.resolve',
      'exec.approvals.overrides',
      'exec.approvals.overrides.set',
      'skills.status',
      'skills.bins',
      'skills.install',
      'skills.update',
    ]),
  };
  const http: HttpHandlers = {
    ...createProbeHandlers(rt, () => []),
    ...createAgentHttpHandlers(rt),
  };
  return { methods, http };
}
