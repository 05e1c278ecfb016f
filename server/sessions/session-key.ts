// Session keys are `agent:<agentId>:<rest>` (docs/methods.md); `main` and other bare keys belong to
// the default agent, as upstream treats them.
export interface ParsedSessionKey {
  readonly agentId: string;
  readonly rest: string;
}

const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function normalizeAgentId(id: string): string {
  return id.trim().toLowerCase();
}

export function isValidAgentId(id: string): boolean {
  return AGENT_ID.test(id);
}

/**
 * Canonical form: `agent:<lower-case id>:<rest>`; bare keys go to the default agent, and the bare
 * alias `main` (or an empty key) names its main session, `agent:<default>:<mainKey>`.
 */
export function canonicalSessionKey(key: string, defaultAgentId: string, mainKey = 'main'): string {
  const trimmed = key.trim();
  const parsed = parseSessionKey(trimmed);
  if (parsed) return `agent:${parsed.agentId}:${parsed.rest}`;
  return `agent:${defaultAgentId}:${trimmed === '' || trimmed === 'main' ? mainKey : trimmed}`;
}

export function parseSessionKey(key: string): ParsedSessionKey | undefined {
  if (!key.startsWith('agent:')) return undefined;
  const second = key.indexOf(':', 6);
  if (second < 0) return undefined;
  const agentId = normalizeAgentId(key.slice(6, second));
  const rest = key.slice(second + 1);
  if (!isValidAgentId(agentId) || rest.length === 0) return undefined;
  return { agentId, rest };
}

/** `direct` / `group` / `global` as upstream's list rows show it. */
export function sessionKind(key: string): 'direct' | 'group' | 'global' | 'unknown' {
  const rest = parseSessionKey(key)?.rest;
  if (rest === undefined) return 'unknown';
  if (rest === 'global') return 'global';
  if (/(^|:)(group|channel|room)(:|$)/.test(rest)) return 'group';
  return 'direct';
}
