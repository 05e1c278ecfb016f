// The agent's embedding model as the memory index uses it: texts in batches, vectors out as
// Float32Array, and a key naming endpoint + model + dimensions (a new key means a full re-embed).
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { embeddingTarget, memorySearchOf } from '../providers/embedding-target.js';
import { fetchEmbeddings, type EmbeddingsEndpoint } from '../providers/openai-embeddings.js';

const BATCH_INPUTS = 64;
const BATCH_CHARS = 60_000;

export interface MemoryEmbedder {
  /** `<endpoint label>|<model>|<dimensions>`; stored with the vectors. */
  readonly key: string;
  readonly label: string;
  readonly model: string;
  embed(texts: readonly string[], signal: AbortSignal): Promise<Float32Array[]>;
}

/** The embedder for this agent, undefined when no embedding model is configured, or an error message when it is misconfigured. */
export function memoryEmbedder(cfg: OpenClawConfig, env: NodeJS.ProcessEnv, agentId: string): MemoryEmbedder | undefined | { error: string } {
  if (!memorySearchOf(cfg, agentId).settings.model) return undefined;
  let target;
  try {
    target = embeddingTarget(cfg, env, agentId, undefined, undefined);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (!target.ok) return { error: target.message };
  const { endpoint, model, dimensions } = target;
  return {
    key: `${endpoint.label}|${endpoint.baseUrl}|${model}|${dimensions ?? ''}`,
    label: endpoint.label,
    model,
    embed: (texts, signal) => embedAll(endpoint, model, dimensions, texts, signal),
  };
}

async function embedAll(endpoint: EmbeddingsEndpoint, model: string, dimensions: number | undefined, texts: readonly string[], signal: AbortSignal): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  let batch: string[] = [];
  let chars = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await fetchEmbeddings(endpoint, model, batch, dimensions, signal);
    for (const vector of result.vectors) out.push(Float32Array.from(vector));
    batch = [];
    chars = 0;
  };
  for (const text of texts) {
    if (batch.length >= BATCH_INPUTS || (batch.length > 0 && chars + text.length > BATCH_CHARS)) await flush();
    batch.push(text);
    chars += text.length;
  }
  await flush();
  return out;
}
