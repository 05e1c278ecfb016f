// `health` agent and session figures from the live session store (not a re-read of the index files).
import type { AgentDirectory } from '../agents/agent-directory.js';
import type { HealthSources } from '../system/health-service.js';
import type { SessionStore } from './session-store.js';

export function sessionHealthSources(agents: AgentDirectory, sessions: SessionStore): Pick<HealthSources, 'agents' | 'defaultAgentId' | 'sessions'> {
  // The count and the newest ten come from the session index: nothing sorts every session.
  const summary = (agentIds: string[], path: string): { path: string; count: number; recent: { key: string; updatedAt: number | null; age: number | null }[] } => {
    const now = Date.now();
    return {
      path,
      count: sessions.count(agentIds),
      recent: sessions.page(agentIds, { includeGlobal: true }, 0, 10).map(({ key, entry }) => ({ key, updatedAt: entry.updatedAt || null, age: entry.updatedAt ? now - entry.updatedAt : null })),
    };
  };
  return {
    defaultAgentId: () => agents.defaultId(),
    agents: () =>
      agents.list().map((a) => ({
        agentId: a.id,
        ...(a.name ? { name: a.name } : {}),
        isDefault: a.isDefault,
        heartbeat: null,
        sessions: summary([a.id], sessions.indexPath(a.id)),
      })),
    sessions: () => summary(agents.list().map((a) => a.id), sessions.indexPath(agents.defaultId())),
  };
}
