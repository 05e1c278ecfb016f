// `health` agent and session figures from the live session store (not a re-read of the index files).
import type { AgentDirectory } from '../agents/agent-directory.js';
import type { HealthSources } from '../system/health-service.js';
import type { SessionStore } from './session-store.js';

export function sessionHealthSources(agents: AgentDirectory, sessions: SessionStore): Pick<HealthSources, 'agents' | 'defaultAgentId' | 'sessions'> {
  return {
    defaultAgentId: () => agents.defaultId(),
    agents: () =>
      agents.list().map((a) => ({
        agentId: a.id,
        ...(a.name ? { name: a.name } : {}),
        isDefault: a.isDefault,
        heartbeat: null,
        sessions: sessions.count([a.id]),
      })),
    sessions: () => {
      const now = Date.now();
      const ids = agents.list().map((a) => a.id);
      return {
        path: sessions.indexPath(agents.defaultId()),
        count: sessions.count(ids),
        recent: sessions.page(ids, { includeGlobal: true }, 0, 10).map(({ key, entry }) => ({ key, updatedAt: entry.updatedAt || null, age: entry.updatedAt ? now - entry.updatedAt : null })),
      };
    },
  };
}
