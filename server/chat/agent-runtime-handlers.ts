// Every WS method of the agent runtime (chat, agent, sessions, agents, models, usage, status), bound
// to the gateway's one AgentRuntime.
import type {
  AgentHandlers,
  AgentsHandlers,
  ChatHandlers,
  ModelsHandlers,
  SessionsHandlers,
  SystemHandlers,
  UsageHandlers,
} from '../../generated/server/handlers.js';
import { createAgentsHandlers } from '../agents/agents-handlers.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { createModelsHandlers } from '../models/models-handlers.js';
import type { SessionSubscriptionMethod } from '../sessions/session-subscriptions.js';
import { createSessionsHandlers } from '../sessions/sessions-handlers.js';
import { createUsageHandlers } from '../usage/usage-handlers.js';
import { createAgentHandlers } from './agent-handlers.js';
import type { AgentRuntime } from './agent-runtime.js';
import { createChatHandlers } from './chat-handlers.js';
import { createStatusHandler } from './status-handler.js';

export type AgentRuntimeHandlers = ChatHandlers &
  AgentHandlers &
  AgentsHandlers &
  Omit<SessionsHandlers, SessionSubscriptionMethod> &
  ModelsHandlers &
  UsageHandlers &
  Pick<SystemHandlers, 'status'>;

export function createAgentRuntimeHandlers(rt: GatewayRuntime, agents: AgentRuntime): AgentRuntimeHandlers {
  return Object.assign(
    {},
    createChatHandlers(rt, agents),
    createAgentHandlers(agents),
    createAgentsHandlers(rt, agents),
    createSessionsHandlers(agents),
    createModelsHandlers(agents),
    createUsageHandlers(rt, agents),
    createStatusHandler(rt, agents),
  );
}
