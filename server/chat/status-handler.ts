// `status` (docs/methods.md): sessions per agent, the default model, channels as health reports them.
import type { SystemHandlers } from '../../generated/server/handlers.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { AgentRuntime } from './agent-runtime.js';

export function createStatusHandler(rt: GatewayRuntime, agents: AgentRuntime): Pick<SystemHandlers, 'status'> {
  return {
    status: () => {
      const now = Date.now();
      const list = agents.agents.list();
      const byAgent = list.map((agent) => {
        return {
          agentId: agent.id,
          path: agents.sessions.indexPath(agent.id),
          count: agents.sessions.count([agent.id]),
          recent: agents.sessions.page([agent.id], { includeGlobal: true }, 0, 5).map(({ key, entry }) => ({ key, updatedAt: entry.updatedAt, age: now - entry.updatedAt, model: entry.model ?? null })),
        };
      });
      const recent = byAgent
        .flatMap((a) => a.recent)
        .sort((x, y) => y.updatedAt - x.updatedAt)
        .slice(0, 10);
      const model = agents.models.resolve(undefined, agents.agents.defaultId());
      const health = rt.health.snapshot();
      const channels = health.channelOrder.map((id) => {
        const accounts = health.channels[id]?.accounts;
        const list = accounts && typeof accounts === 'object' ? (Object.values(accounts) as { accountId: string }[]) : undefined;
        return { id, configured: health.channels[id]?.configured ?? false, linked: health.channels[id]?.linked ?? false, ...(list ? { accounts: list } : {}) };
      });
      return {
        runtimeVersion: rt.version,
        heartbeat: { defaultAgentId: agents.agents.defaultId(), agents: [] },
        channelSummary: channels.map((c) => `${health.channelLabels[c.id] ?? c.id}: ${c.linked ? 'linked' : c.configured ? 'configured' : 'not configured'}`),
        queuedSystemEvents: [],
        tasks: { active: agents.activeRuns().map((r) => ({ runId: r.runId, sessionKey: r.sessionKey, status: r.status() })) },
        taskAudit: null,
        sessions: {
          paths: byAgent.map((a) => a.path),
          count: byAgent.reduce((n, a) => n + a.count, 0),
          defaults: { model: model.ref, contextTokens: model.contextWindow ?? null },
          recent,
          byAgent,
        },
        agents: list.map((a) => ({ id: a.id, isDefault: a.isDefault, ...(a.name ? { name: a.name } : {}) })),
        channels,
        ...(health.nodes ? { nodes: health.nodes } : {}),
      };
    },
  };
}
