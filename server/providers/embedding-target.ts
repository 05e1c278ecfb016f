// The embedding model of an agent: its `memorySearch` (over `agents.defaults.memorySearch`) names
// the model and where it is served, a `models.providers` entry or a `remote` server of its own.
// /v1/embeddings and the memory index both resolve it here.
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { configuredAgent } from '../agents/agent-directory.js';
import { resolveSecret } from '../config/gateway-settings.js';
import type { EmbeddingsEndpoint } from './openai-embeddings.js';

const DEFAULT_TIMEOUT_MS = 60_000;

export type MemorySearch = NonNullable<NonNullable<NonNullable<OpenClawConfig['agents']>['defaults']>['memorySearch']>;

export type EmbeddingTarget = { readonly ok: true; readonly endpoint: EmbeddingsEndpoint; readonly model: string; readonly dimensions: number | undefined } | { readonly ok: false; readonly message: string };

/** The agent's memorySearch: its own keys over the defaults' (remote merged key by key). */
export function memorySearchOf(cfg: OpenClawConfig, agentId: string): { settings: MemorySearch; key: string } {
  const defaults = cfg.agents?.defaults?.memorySearch ?? {};
  const own = configuredAgent(cfg, agentId)?.memorySearch;
  if (!own) return { settings: defaults, key: 'agents.defaults.memorySearch' };
  const remote = defaults.remote || own.remote ? Object.assign({}, defaults.remote, own.remote) : undefined;
  return { settings: Object.assign({}, defaults, own, remote ? { remote } : {}), key: `agents.list[id=${agentId}].memorySearch` };
}

/** Where the agent's embeddings come from and which model, or why there is none (a message naming the key to set). */
export function embeddingTarget(cfg: OpenClawConfig, env: NodeJS.ProcessEnv, agentId: string, headerModel: string | undefined, dimensions: number | undefined): EmbeddingTarget {
  const { settings, key } = memorySearchOf(cfg, agentId);
  const configuredProvider = settings.provider;
  let model = headerModel || settings.model;
  if (!model) return { ok: false, message: `No embedding model for agent "${agentId}": set ${key}.model (and .provider, a models.providers id, or .remote.baseUrl).` };
  // `<provider>/<model>` names the provider only when the prefix is one: ids such as
  // `BAAI/bge-m3` pass as they are. Another configured provider is refused, not silently used.
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : undefined;
  if (prefix !== undefined && prefix === configuredProvider) model = model.slice(slash + 1);
  else if (prefix !== undefined && cfg.models?.providers?.[prefix]) {
    return { ok: false, message: `This agent's embeddings come from ${configuredProvider ? `"${configuredProvider}"` : `${key}.remote`}, not "${prefix}"; name a model of that provider.` };
  }
  const wanted = dimensions ?? settings.outputDimensionality;
  const remote = settings.remote;
  if (remote?.baseUrl) {
    const headers: Record<string, string> = Object.assign({}, remote.headers);
    const apiKey = resolveSecret(remote.apiKey, env, `${key}.remote.apiKey`);
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return { ok: true, endpoint: { label: `${key}.remote`, baseUrl: remote.baseUrl, headers, timeoutMs: DEFAULT_TIMEOUT_MS }, model, dimensions: wanted };
  }
  const provider = configuredProvider ? cfg.models?.providers?.[configuredProvider] : undefined;
  if (!configuredProvider || !provider) {
    const why = configuredProvider ? `"${configuredProvider}" is not in models.providers` : `${key}.provider is not set`;
    return { ok: false, message: `No embeddings server for agent "${agentId}": ${why}; set ${key}.provider to a models.providers id, or ${key}.remote.baseUrl.` };
  }
  if (provider.api && provider.api !== 'openai-completions') return { ok: false, message: `models.providers.${configuredProvider} uses the ${provider.api} API; embeddings need an OpenAI-compatible server.` };
  const headers: Record<string, string> = Object.assign({}, provider.headers);
  const apiKey = resolveSecret(provider.apiKey, env, `models.providers.${configuredProvider}.apiKey`);
  if (apiKey && provider.authHeader !== false) headers.authorization = `Bearer ${apiKey}`;
  const endpoint = { label: `models.providers.${configuredProvider}`, baseUrl: provider.baseUrl, headers, timeoutMs: provider.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  return { ok: true, endpoint, model, dimensions: wanted };
}
