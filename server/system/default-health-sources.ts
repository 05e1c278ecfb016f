// Health sources available before any subsystem registers its own: agents from the config file and
// session counts read from the upstream state layout (agents/<id>/sessions/sessions.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { HealthSummary } from '../../contract/schemas/system.js';
import type { HealthSources } from './health-service.js';

export function configuredAgents(config: OpenClawConfig): { id: string; name?: string; isDefault: boolean }[] {
  const list = config.agents?.list ?? [];
  if (list.length === 0) return [{ id: 'main', isDefault: true }];
  const defaultId = (list.find((a) => a.default) ?? list[0]!).id;
  const agents = list.map((a) => ({ id: a.id, ...(a.name ? { name: a.name } : {}), isDefault: a.id === defaultId }));
  if (!agents.some((a) => a.id === 'main')) agents.push({ id: 'main', isDefault: false });
  return agents;
}

function readSessionIndex(path: string): Record<string, { updatedAt?: number }> {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, { updatedAt?: number }>) : {};
  } catch {
    return {};
  }
}

export function defaultHealthSources(options: {
  stateDir: string;
  config: () => OpenClawConfig;
  gateway: () => NonNullable<HealthSummary['gateway']>;
}): HealthSources {
  const indexPath = (agentId: string): string => join(options.stateDir, 'agents', agentId, 'sessions', 'sessions.json');
  const summarize = (path: string, agentIds: string[]): HealthSummary['sessions'] => {
    const now = Date.now();
    const rows = agentIds.flatMap((id) =>
      Object.entries(readSessionIndex(indexPath(id))).map(([key, entry]) => ({
        key,
        updatedAt: typeof entry?.updatedAt === 'number' ? entry.updatedAt : null,
      })),
    );
    rows.sort((x, y) => (y.updatedAt ?? 0) - (x.updatedAt ?? 0));
    return { path, count: rows.length, recent: rows.slice(0, 10).map((r) => ({ ...r, age: r.updatedAt === null ? null : now - r.updatedAt })) };
  };
  return {
    defaultAgentId: () => configuredAgents(options.config()).find((a) => a.isDefault)?.id ?? 'main',
    agents: () =>
      configuredAgents(options.config()).map((a) => ({
        agentId: a.id,
        ...(a.name ? { name: a.name } : {}),
        isDefault: a.isDefault,
        heartbeat: null,
        sessions: summarize(indexPath(a.id), [a.id]),
      })),
    sessions: () =>
      summarize(
        indexPath(configuredAgents(options.config()).find((a) => a.isDefault)?.id ?? 'main'),
        configuredAgents(options.config()).map((a) => a.id),
      ),
    channels: () => ({ channels: {}, channelOrder: [], channelLabels: {} }),
    gateway: options.gateway,
  };
}
