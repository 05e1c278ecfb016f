// skills.update: patches `skills.entries.<skillKey>` (enabled, apiKey, env; an empty string removes
// a key, as upstream) through the config store, and answers the entry with its secrets redacted.
import type { z } from 'zod';
import type { SkillsUpdateParams, SkillsUpdateResult } from '../../contract/schemas/skills.js';
import type { ConfigStore } from '../config/config-store.js';
import { REDACTED } from '../config/redact.js';

type UpdateParams = z.infer<typeof SkillsUpdateParams>;
type UpdateResult = z.infer<typeof SkillsUpdateResult>;

/** The entry as a response may show it: apiKey and every env value replaced by the sentinel. */
export function redactSkillEntry(entry: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry ?? {})) {
    if (key === 'apiKey') out[key] = REDACTED;
    else if (key === 'env' && value && typeof value === 'object') out[key] = Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
    else out[key] = value;
  }
  return out;
}

export function updateSkillEntry(config: ConfigStore, params: UpdateParams): UpdateResult {
  if ('source' in params) return { ok: false, message: 'ClawHub updates are not available in this gateway; update the skill folder yourself (managed skills live in <stateDir>/skills).' };
  const patch: Record<string, unknown> = {};
  if (params.enabled !== undefined) patch.enabled = params.enabled;
  if (params.apiKey !== undefined) patch.apiKey = params.apiKey.trim() === '' ? null : params.apiKey.trim();
  if (params.env !== undefined) {
    const env: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(params.env)) env[name] = value.trim() === '' ? null : value;
    patch.env = env;
  }
  const key = params.skillKey;
  if (Object.keys(patch).length > 0) config.patch(JSON.stringify({ skills: { entries: { [key]: patch } } }), config.loaded.exists ? config.loaded.hash : undefined);
  const entry = config.config.skills?.entries?.[key] as Record<string, unknown> | undefined;
  return { ok: true, skillKey: key, config: redactSkillEntry(entry) };
}
