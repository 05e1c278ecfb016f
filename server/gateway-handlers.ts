// Every method and HTTP endpoint of the contract, bound to the subsystem that implements it.
// The generated interfaces make a missing one a compile error.
import type { HttpHandlers } from '../generated/http/routes.js';
import type { GatewayHandlers } from '../generated/server/handlers.js';
import { createConfigHandlers } from './config/config-handlers.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { errorBody, jsonResponse } from './http/http-errors.js';
import { createProbeHandlers } from './http/probe-handlers.js';
import { createLogsHandlers } from './logs/logs-handlers.js';
import { planned } from './planned-handlers.js';
import { createHealthHandlers } from './system/health-handlers.js';

export interface GatewayHandlerSet {
  readonly methods: GatewayHandlers;
  readonly http: HttpHandlers;
}

const notYetOverHttp = (): Response =>
  jsonResponse(501, errorBody('not_implemented', 'This endpoint is not implemented by this gateway yet.'));

export function createGatewayHandlers(rt: GatewayRuntime): GatewayHandlerSet {
  const methods: GatewayHandlers = {
    ...createHealthHandlers(rt),
    ...createLogsHandlers(rt),
    ...createConfigHandlers(rt),
    ...planned([
      // sessions, chat and the agent runtime
      'status',
      'agent',
      'agent.wait',
      'chat.send',
      'chat.abort',
      'chat.history',
      'chat.inject',
      'agents.list',
      'agents.create',
      'agents.update',
      'agents.delete',
      'agents.files.list',
      'agents.files.get',
      'agents.files.set',
      'sessions.list',
      'sessions.preview',
      'sessions.patch',
      'sessions.reset',
      'sessions.delete',
      'sessions.compact',
      'sessions.spawn',
      'models.list',
      'usage.status',
      'usage.cost',
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
    models: notYetOverHttp,
    chatCompletions: notYetOverHttp,
    responses: notYetOverHttp,
    toolsInvoke: notYetOverHttp,
  };
  return { methods, http };
}
