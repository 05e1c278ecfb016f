// tools.catalog (WS) and GET /tools/catalog (HTTP): every registered tool an agent has, grouped,
// with its argument schema, whether the agent's runs are offered it, and whether /tools/invoke may
// call it (with the config key that would change that). One builder for both front ends.
import type { ToolsCatalogResult } from '../../contract/schemas/tools.js';
import type { ToolRegistry } from './tool-registry.js';
import type { ToolCaller, ToolPolicyDecision } from './tool-types.js';

const AGENT_CALLER: ToolCaller = { kind: 'agent' };
const HTTP_CALLER: ToolCaller = { kind: 'http', id: 'catalog' };
/** This gateway has one tool profile: everything policy allows. */
const PROFILES = [{ id: 'full', label: 'Full' }];

const titleOf = (group: string): string => group.replace(/(^|[-_])(\w)/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`);

function httpPolicy(decision: ToolPolicyDecision): ToolsCatalogResult['groups'][number]['tools'][number]['http'] {
  if (decision.allow) return { allowed: true };
  const out: { allowed: false; reason: string; configKey?: string } = { allowed: false, reason: decision.reason };
  if (decision.configKey) out.configKey = decision.configKey;
  return out;
}

export function buildToolsCatalog(registry: ToolRegistry, agentId: string): ToolsCatalogResult {
  const groups = new Map<string, ToolsCatalogResult['groups'][number]>();
  for (const tool of registry.list()) {
    const groupId = tool.group ?? 'other';
    let group = groups.get(groupId);
    if (!group) {
      group = { id: groupId, label: titleOf(groupId), source: 'core', tools: [] };
      groups.set(groupId, group);
    }
    group.tools.push({
      id: tool.name,
      label: tool.label,
      description: tool.description,
      source: 'core',
      defaultProfiles: ['full'],
      parameters: tool.jsonSchema,
      dangerous: tool.dangerous,
      agentAllowed: registry.decide(tool.name, { agentId, caller: AGENT_CALLER }).allow,
      http: httpPolicy(registry.decide(tool.name, { agentId, caller: HTTP_CALLER })),
    });
  }
  return { agentId, profiles: PROFILES, groups: [...groups.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}
