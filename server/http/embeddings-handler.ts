// POST /v1/embeddings: vectors from the agent's embedding model. `model` picks the agent (as on the
// chat endpoints); the agent's `memorySearch` (over `agents.defaults.memorySearch`) names the
// embedding model and where it is served: a `models.providers` entry, or a `remote` server of its
// own. `x-openclaw-model` may choose another model of that provider. Input limits follow upstream.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../../contract/schemas/openai-http.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { configuredAgent } from '../agents/agent-directory.js';
import { resolveSecret } from '../config/gateway-settings.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { EmbeddingsError, fetchEmbeddings, type EmbeddingsEndpoint } from '../providers/openai-embeddings.js';
import { errorBody, jsonResponse } from './http-errors.js';
import { headerOf } from './node-request.js';
import { MODEL_HEADER } from './openai-turn-checks.js';
import { agentOf, invalidRequest, type AgentLookup } from './openai-turn-target.js';

const MAX_INPUTS = 128;
const MAX_INPUT_CHARS = 8_192;
const MAX_TOTAL_CHARS = 65_536;
const DEFAULT_TIMEOUT_MS = 60_000;

export interface EmbeddingsDeps {
  readonly agents: AgentLookup;
  config(): OpenClawConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: GatewayLogger;
}

type MemorySearch = NonNullable<NonNullable<NonNullable<OpenClawConfig['agents']>['defaults']>['memorySearch']>;

type Target = { readonly ok: true; readonly endpoint: EmbeddingsEndpoint; readonly model: string; readonly dimensions: number | undefined } | { readonly ok: false; readonly message: string };

/** The agent's memorySearch: its own keys over the defaults' (remote merged key by key). */
function memorySearchOf(cfg: OpenClawConfig, agentId: string): { settings: MemorySearch; key: string } {
  const defaults = cfg.agents?.defaults?.memorySearch ?? {};
  const own = configuredAgent(cfg, agentId)?.memorySearch;
  if (!own) return { settings: defaults, key: 'agents.defaults.memorySearch' };
  const remote = defaults.remote || own.remote ? Object.assign({}, defaults.remote, own.remote) : undefined;
  return { settings: Object.assign({}, defaults, own, remote ? { remote } : {}), key: `agents.list[id=${agentId}].memorySearch` };
}

function targetOf(deps: EmbeddingsDeps, agentId: string, headerModel: string | undefined, dimensions: number | undefined): Target {
  const cfg = deps.config();
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
    const apiKey = resolveSecret(remote.apiKey, deps.env, `${key}.remote.apiKey`);
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
  const apiKey = resolveSecret(provider.apiKey, deps.env, `models.providers.${configuredProvider}.apiKey`);
  if (apiKey && provider.authHeader !== false) headers.authorization = `Bearer ${apiKey}`;
  const endpoint = { label: `models.providers.${configuredProvider}`, baseUrl: provider.baseUrl, headers, timeoutMs: provider.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  return { ok: true, endpoint, model, dimensions: wanted };
}

/** Upstream's limits and messages: at most 128 inputs, 8,192 characters each, 65,536 in all. */
function inputProblem(texts: readonly string[]): string | undefined {
  if (texts.length === 0) return '`input` is empty; send a string or a non-empty array of strings.';
  if (texts.length > MAX_INPUTS) return `Too many inputs (max ${MAX_INPUTS}).`;
  let total = 0;
  for (const text of texts) {
    if (text.length > MAX_INPUT_CHARS) return `Input too long (max ${MAX_INPUT_CHARS} chars).`;
    total += text.length;
    if (total > MAX_TOTAL_CHARS) return `Total input too large (max ${MAX_TOTAL_CHARS} chars).`;
  }
  return undefined;
}

/** Little-endian float32 values, base64-encoded (OpenAI's `encoding_format: "base64"`). */
function base64Of(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

export function createEmbeddingsHandler(deps: EmbeddingsDeps): (c: Context, body: EmbeddingsRequest) => Promise<Response> {
  return async (c, body) => {
    const agent = agentOf(c, deps.agents, body.model);
    if (!agent.ok) return agent.response;
    const texts = typeof body.input === 'string' ? [body.input] : body.input;
    const problem = inputProblem(texts);
    if (problem) return jsonResponse(httpStatusOf('INVALID_PARAMS'), errorBody('invalid_request_error', problem, { param: 'input' }));
    let target: Target;
    try {
      target = targetOf(deps, agent.agentId, headerOf(c, MODEL_HEADER)?.trim(), body.dimensions);
    } catch (error) {
      // A secret that cannot be resolved (missing env variable or file): the config's fault. Where
      // it was looked for stays in the log.
      deps.logger.warn('embeddings: API key unavailable', { agentId: agent.agentId, error: (error as Error).message });
      return jsonResponse(httpStatusOf('INTERNAL'), errorBody('api_error', "The embeddings server's API key is not available; the gateway log says why."));
    }
    if (!target.ok) return invalidRequest(target.message);
    try {
      const result = await fetchEmbeddings(target.endpoint, target.model, texts, target.dimensions, c.req.raw.signal);
      const base64 = body.encoding_format === 'base64';
      const answer: EmbeddingsResponse = {
        object: 'list',
        data: result.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? base64Of(vector) : vector })),
        model: body.model,
        usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
      };
      return jsonResponse(200, answer);
    } catch (error) {
      if (!(error instanceof EmbeddingsError)) throw error;
      deps.logger.warn('embeddings request failed', { agentId: agent.agentId, error: error.message, detail: error.detail });
      return jsonResponse(httpStatusOf('PROVIDER_ERROR'), errorBody('api_error', `Embeddings failed: ${error.message}.`));
    }
  };
}
