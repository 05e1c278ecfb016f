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
        sessions: sessions.list([a.id]).length,
      })),
    sessions: () => {
      const now = Date.now();
      const rows = sessions.list(agents.list().map((a) => a.id)).sort((x, y) => y.entry.updatedAt - x.entry.updatedAt);
      return {
        path: sessions.indexPath(agents.defaultId()),
        count: rows.length,
        recent: rows.slice(0, 10).map(({ key, entry }) => ({ key, updatedAt: entry.updatedAt || null, age: entry.updatedAt ? now - entry.updatedAt : null })),
      };
    },
  };
}
