// One call to an OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, vLLM, LM Studio…):
// texts in, one vector per text out, checked for shape before anyone sees them.
import { HttpPoster, readText } from './http-post.js';

export interface EmbeddingsEndpoint {
  /** Names the endpoint in errors (`models.providers.<id>` or `memorySearch.remote`). */
  readonly label: string;
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface EmbeddingsResult {
  readonly vectors: number[][];
  readonly promptTokens: number;
}

/** Why the embeddings server's answer could not be used (its status, when it answered). */
export class EmbeddingsError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The server's error message, for the log (never for the client). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** 128 vectors of 3,072 floats print as about 8 MB of JSON. */
const MAX_RESPONSE_CHARS = 32 * 1024 * 1024;
const MAX_ERROR_CHARS = 2048;

const poster = new HttpPoster();

export async function fetchEmbeddings(
  endpoint: EmbeddingsEndpoint,
  model: string,
  texts: readonly string[],
  dimensions: number | undefined,
  signal: AbortSignal,
): Promise<EmbeddingsResult> {
  let url: URL;
  try {
    url = new URL(`${endpoint.baseUrl.replace(/\/+$/, '')}/embeddings`);
  } catch {
    throw new EmbeddingsError(`${endpoint.label}.baseUrl is not a URL`);
  }
  const body: Record<string, unknown> = { model, input: texts, encoding_format: 'float' };
  if (dimensions !== undefined) body.dimensions = dimensions;
  const timeout = AbortSignal.timeout(endpoint.timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  let text: string;
  let status: number;
  try {
    const res = await poster.post(url, Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, endpoint.headers), JSON.stringify(body), combined);
    status = res.status;
    text = await readText(res.body, status >= 400 ? MAX_ERROR_CHARS : MAX_RESPONSE_CHARS);
    if (status < 400 && text.length >= MAX_RESPONSE_CHARS) throw new EmbeddingsError(`${endpoint.label} answered more than ${MAX_RESPONSE_CHARS} characters`);
  } catch (error) {
    if (error instanceof EmbeddingsError) throw error;
    if (timeout.aborted) throw new EmbeddingsError(`${endpoint.label} did not answer within ${endpoint.timeoutMs} ms`);
    if (signal.aborted) throw new EmbeddingsError('the request was cancelled');
    throw new EmbeddingsError(`${endpoint.label} could not be reached (${(error as NodeJS.ErrnoException).code ?? 'network error'})`);
  }
  if (status >= 400) {
    // The server's own words go to the log only: an auth failure's text can quote the key.
    let detail: string | undefined;
    try {
      const message = (JSON.parse(text) as { error?: { message?: unknown } } | null)?.error?.message;
      if (typeof message === 'string') detail = message.slice(0, 300);
    } catch {
      // Not JSON: the status says enough.
    }
    throw new EmbeddingsError(`${endpoint.label} answered HTTP ${status}`, status, detail);
  }
  return parseEmbeddings(text, texts.length, endpoint.label);
}

function parseEmbeddings(text: string, count: number, label: string): EmbeddingsResult {
  let parsed: { data?: unknown; usage?: { prompt_tokens?: unknown } | null } | null;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new EmbeddingsError(`${label} answered something that is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new EmbeddingsError(`${label} answered JSON that is not an object`);
  if (!Array.isArray(parsed.data) || parsed.data.length !== count) throw new EmbeddingsError(`${label} answered ${Array.isArray(parsed.data) ? parsed.data.length : 'no'} vectors for ${count} inputs`);
  const vectors: number[][] = new Array<number[]>(count);
  for (const [position, item] of (parsed.data as { index?: unknown; embedding?: unknown }[]).entries()) {
    const index = typeof item?.index === 'number' ? item.index : position;
    const embedding = item?.embedding;
    if (!Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined) throw new EmbeddingsError(`${label} answered a bad vector index`);
    if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new EmbeddingsError(`${label} answered a vector that is not a list of numbers (encoding_format float)`);
    }
    vectors[index] = embedding as number[];
  }
  const tokens = parsed.usage && typeof parsed.usage === 'object' ? parsed.usage.prompt_tokens : undefined;
  return { vectors, promptTokens: typeof tokens === 'number' && Number.isInteger(tokens) && tokens >= 0 ? tokens : 0 };
}
