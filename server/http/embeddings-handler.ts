// POST /v1/embeddings: vectors from the agent's embedding model. `model` picks the agent (as on the
// chat endpoints); the agent's `memorySearch` (over `agents.defaults.memorySearch`) names the
// embedding model and where it is served: a `models.providers` entry, or a `remote` server of its
// own. `x-openclaw-model` may choose another model of that provider. Input limits follow upstream.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../../contract/schemas/openai-http.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { embeddingTarget, type EmbeddingTarget } from '../providers/embedding-target.js';
import { EmbeddingsError, fetchEmbeddings } from '../providers/openai-embeddings.js';
import { errorBody, jsonResponse } from './http-errors.js';
import { headerOf } from './node-request.js';
import { MODEL_HEADER } from './openai-turn-checks.js';
import { agentOf, invalidRequest, type AgentLookup } from './openai-turn-target.js';

const MAX_INPUTS = 128;
const MAX_INPUT_CHARS = 8_192;
const MAX_TOTAL_CHARS = 65_536;

export interface EmbeddingsDeps {
  readonly agents: AgentLookup;
  config(): OpenClawConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: GatewayLogger;
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
    let target: EmbeddingTarget;
    try {
      target = embeddingTarget(deps.config(), deps.env, agent.agentId, headerOf(c, MODEL_HEADER)?.trim(), body.dimensions);
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
