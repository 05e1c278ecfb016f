// `x-openclaw-model` (docs/http.md "Chat completions and responses"): the backend model for one OpenAI-compatible turn, checked
// against what the agent may use — the `agents.defaults.models` allowlist when set, else every
// model of `models.providers` (the built-in offline model when none) — plus the agent's own
// configured model and fallbacks. Accepted forms: `<provider>/<model>`, an allowlist alias, or a
// bare model id that names exactly one allowed model.
import { configuredAgent } from '../agents/agent-directory.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { ModelChoice } from '../../contract/schemas/models.js';

/** The part of the model catalog the check reads. */
export interface ModelAllowlistSource {
  list(): ModelChoice[];
  defaultRef(agentId?: string): string;
}

export type ModelOverride = { readonly ok: true; readonly ref: string } | { readonly ok: false; readonly message: string };

const MAX_LISTED = 20;

function agentFallbacks(config: OpenClawConfig, agentId: string): string[] {
  const refs: string[] = [];
  const add = (model: unknown): void => {
    if (model && typeof model === 'object' && Array.isArray((model as { fallbacks?: unknown }).fallbacks)) {
      for (const f of (model as { fallbacks: unknown[] }).fallbacks) if (typeof f === 'string') refs.push(f);
    }
  };
  add(configuredAgent(config, agentId)?.model);
  add(config.agents?.defaults?.model);
  return refs;
}

/** Every ref the agent may run with, and alias → ref. */
export function allowedModels(source: ModelAllowlistSource, config: OpenClawConfig, agentId: string): { refs: string[]; aliases: Map<string, string> } {
  const refs = new Set<string>();
  const aliases = new Map<string, string>();
  for (const choice of source.list()) {
    const ref = `${choice.provider}/${choice.id}`;
    refs.add(ref);
    if (choice.alias) aliases.set(choice.alias, ref);
  }
  refs.add(source.defaultRef(agentId));
  for (const ref of agentFallbacks(config, agentId)) refs.add(ref);
  return { refs: [...refs], aliases };
}

export function resolveModelOverride(header: string, source: ModelAllowlistSource, config: OpenClawConfig, agentId: string): ModelOverride {
  const wanted = header.trim();
  const { refs, aliases } = allowedModels(source, config, agentId);
  if (refs.includes(wanted)) return { ok: true, ref: wanted };
  const aliased = aliases.get(wanted);
  if (aliased) return { ok: true, ref: aliased };
  if (!wanted.includes('/')) {
    const matches = refs.filter((ref) => ref.slice(ref.indexOf('/') + 1) === wanted);
    if (matches.length === 1) return { ok: true, ref: matches[0]! };
  }
  const shown = refs.slice(0, MAX_LISTED).join(', ') + (refs.length > MAX_LISTED ? ', …' : '');
  const where = config.agents?.defaults?.models ? 'agents.defaults.models' : 'models.providers';
  return {
    ok: false,
    message: `Model "${wanted.slice(0, 200)}" in x-openclaw-model is not allowed for agent "${agentId}"; use one of ${shown} (from ${where}).`,
  };
}
