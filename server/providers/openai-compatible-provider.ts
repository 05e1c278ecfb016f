// A provider for any OpenAI-compatible Chat Completions server (OpenAI, Ollama, vLLM, LM Studio,
// llama.cpp, OpenRouter…): streams SSE, assembles tool calls, and turns every failure into a
// ProviderError that says what to do next. A 429 or 503 that asks to come back within a short,
// bounded wait (Retry-After) is retried before anything has streamed, so the caller never sees it.
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpPoster, readText, type PostResponse } from './http-post.js';
import { chatCompletionBody, type WireChunk, type WireDelta } from './openai-wire.js';
import type { ModelProvider, ModelRequest, ModelStopReason, ModelStreamEvent, ModelUsage } from './model-types.js';
import { ProviderError, parseRetryAfter } from './provider-error.js';
import { SseTooLargeError, readSseData } from './sse-reader.js';
import { isSensitiveKey } from '../config/redact.js';
import { SecretRedactor } from '../config/secret-redactor.js';

export interface OpenAiCompatibleOptions {
  readonly id: string;
  readonly baseUrl: string;
  /** Resolved lazily so a missing env secret fails the call, not the gateway. */
  readonly apiKey?: () => string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send `Authorization: Bearer <apiKey>` (default true). */
  readonly authHeader?: boolean;
  /** No byte from the server for this long ends the call as a timeout. */
  readonly idleTimeoutMs?: number;
  /** Automatic retries of 429 / 503 answers with a short Retry-After (defaults: DEFAULT_RETRY_POLICY). */
  readonly retry?: Partial<ProviderRetryPolicy>;
  /** Told when a call starts waiting to be retried (for logs). */
  readonly onRetryWait?: (wait: ProviderRetryWait) => void;
  /** Ids of the models that reason (`reasoning: true`): only their calls carry `reasoning_effort`. */
  readonly reasoningModels?: readonly string[];
}

export interface ProviderRetryWait {
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly status: number;
  readonly waitMs: number;
}

export interface ProviderRetryPolicy {
  /** How many times one call is re-sent at most (0 turns automatic retries off). */
  readonly maxRetries: number;
  /** A Retry-After longer than this is not waited for: the call fails at once with the wait in its message. */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: ProviderRetryPolicy = { maxRetries: 2, maxWaitMs: 2000 };

const RETRYABLE_STATUS = new Set([429, 503]);

const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const MAX_ERROR_BODY = 4096;
const DONE_GRACE_MS = 1000;

const FINISH: Record<string, ModelStopReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

export class OpenAiCompatibleProvider implements ModelProvider {
  readonly id: string;
  private readonly url: URL;
  private readonly poster = new HttpPoster();
  private readonly retry: ProviderRetryPolicy;
  private readonly reasoningModels: ReadonlySet<string>;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.id = options.id;
    this.reasoningModels = new Set(options.reasoningModels ?? []);
    this.retry = {
      maxRetries: Math.max(0, Math.floor(options.retry?.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries)),
      maxWaitMs: Math.max(0, options.retry?.maxWaitMs ?? DEFAULT_RETRY_POLICY.maxWaitMs),
    };
    this.url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  }

  /** Drops pooled connections (the provider was replaced by a config change). */
  close(): void {
    this.poster.close();
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const idle = new AbortController();
    const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const startIdleTimer = (): NodeJS.Timeout => {
      const t = setTimeout(() => idle.abort(), idleMs);
      t.unref?.();
      return t;
    };
    let timer = startIdleTimer();
    const signal = AbortSignal.any([request.signal, idle.signal]);
    const fail = (error: unknown): ProviderError => this.classify(error, request.signal, idle.signal, idleMs);
    try {
      const body = JSON.stringify(chatCompletionBody(request, this.reasoningModels.has(request.model)));
      let response: PostResponse;
      for (let attempt = 0; ; attempt++) {
        try {
          response = await this.poster.post(this.url, this.headers(), body, signal);
        } catch (error) {
          throw fail(error);
        }
        timer.refresh();
        if (response.status >= 200 && response.status < 300) break;
        const error = await this.httpError(response, attempt);
        if (!this.retryable(error, attempt)) throw error;
        this.options.onRetryWait?.({ attempt: attempt + 1, status: error.status ?? 0, waitMs: error.retryAfterMs });
        // A wait the server asked for is not silence: the idle timer is off until the next attempt.
        clearTimeout(timer);
        try {
          // Rejects as soon as the run is aborted, not when the wait ends.
          await sleep(error.retryAfterMs, undefined, { signal });
        } catch (waitError) {
          throw fail(waitError);
        }
        timer = startIdleTimer();
      }
      const contentType = response.header('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        yield* this.fromJson(await readText(response.body, 64 * 1024 * 1024).catch((e: unknown) => Promise.reject(fail(e))));
        return;
      }
      const calls = new Map<number, PendingCall>();
      let finish: ModelStopReason | undefined;
      let done = false;
      let grace: NodeJS.Timeout | undefined;
      try {
        for await (const data of readSseData(response.body)) {
          timer.refresh();
          if (done) continue;
          if (data === '[DONE]') {
            // Read on to the end of the response rather than break: the connection then goes back
            // to the keep-alive pool instead of being destroyed. A server that never ends it is cut off.
            done = true;
            grace = setTimeout(() => response.body.destroy(), DONE_GRACE_MS);
            continue;
          }
          let chunk: WireChunk;
          try {
            chunk = JSON.parse(data) as WireChunk;
          } catch {
            throw new ProviderError('malformed', this.id, `${this.id} sent a stream chunk that is not JSON; check that baseUrl points at an OpenAI-compatible /v1 endpoint`);
          }
          if (chunk.error) throw this.streamError(chunk.error);
          const choice = chunk.choices?.[0];
          if (choice?.delta) yield* this.fromDelta(choice.delta, calls);
          if (choice?.finish_reason) finish = FINISH[choice.finish_reason] ?? 'stop';
          if (chunk.usage) yield { type: 'usage', usage: toUsage(chunk.usage) };
        }
      } catch (error) {
        if (!done) throw fail(error);
      } finally {
        clearTimeout(grace);
      }
      if (!done && finish === undefined) {
        throw new ProviderError('malformed', this.id, `${this.id} closed the stream before the reply was complete; try again`);
      }
      yield* flushCalls(calls);
      yield { type: 'stop', reason: calls.size > 0 ? 'tool_calls' : (finish ?? 'stop') };
    } finally {
      clearTimeout(timer);
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream', ...this.options.headers };
    let key: string | undefined;
    try {
      key = this.options.apiKey?.();
    } catch (error) {
      throw new ProviderError('config', this.id, `${(error as Error).message}; fix models.providers.${this.id}.apiKey`);
    }
    if (key && this.options.authHeader !== false) headers.authorization = `Bearer ${key}`;
    return headers;
  }

  private *fromDelta(delta: WireDelta, calls: Map<number, PendingCall>): Generator<ModelStreamEvent> {
    const thinking = delta.reasoning_content ?? delta.reasoning;
    if (thinking) yield { type: 'thinking', text: thinking };
    if (delta.content) yield { type: 'text', text: delta.content };
    for (const part of delta.tool_calls ?? []) {
      const index = part.index ?? calls.size;
      let call = calls.get(index);
      if (!call) {
        call = { id: part.id ?? `call_${index}`, name: '', args: '' };
        calls.set(index, call);
      }
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.args += part.function.arguments;
    }
  }

  private *fromJson(text: string): Generator<ModelStreamEvent> {
    let chunk: WireChunk;
    try {
      chunk = JSON.parse(text) as WireChunk;
    } catch {
      throw new ProviderError('malformed', this.id, `${this.id} answered with neither SSE nor JSON; check models.providers.${this.id}.baseUrl`);
    }
    if (chunk.error) throw this.streamError(chunk.error);
    const choice = chunk.choices?.[0];
    if (!choice) throw new ProviderError('malformed', this.id, `${this.id} answered without choices`);
    const calls = new Map<number, PendingCall>();
    if (choice.message) yield* this.fromDelta(choice.message, calls);
    yield* flushCalls(calls);
    if (chunk.usage) yield { type: 'usage', usage: toUsage(chunk.usage) };
    yield { type: 'stop', reason: calls.size > 0 ? 'tool_calls' : (FINISH[choice.finish_reason ?? 'stop'] ?? 'stop') };
  }

  /** `text` with this provider's own credentials masked: servers quote them back (`Bearer sk-…`). */
  private masked(text: string): string {
    const secrets: string[] = Object.entries(this.options.headers ?? {})
      .filter(([name]) => isSensitiveKey(name))
      .map(([, value]) => value);
    try {
      const key = this.options.apiKey?.();
      if (key) secrets.push(key);
    } catch {
      // an unresolvable key cannot appear in an answer
    }
    const redactor = new SecretRedactor();
    redactor.setSecrets(secrets);
    return redactor.text(text);
  }

  private streamError(error: NonNullable<WireChunk['error']>): ProviderError {
    const message = this.masked(typeof error === 'string' ? error : (error.message ?? 'unknown error'));
    const lower = message.toLowerCase();
    if (lower.includes('context length') || lower.includes('context window') || lower.includes('too many tokens')) {
      return new ProviderError('context_length', this.id, `${this.id}: ${message}; compact the session (sessions.compact) or start a new one`);
    }
    return new ProviderError('server', this.id, `${this.id} reported an error mid-stream: ${message}`);
  }

  /** A 429 / 503 whose Retry-After is within the policy's wait, while retries are left. */
  private retryable(error: ProviderError, attempt: number): error is ProviderError & { retryAfterMs: number } {
    return (
      error.status !== undefined &&
      RETRYABLE_STATUS.has(error.status) &&
      error.retryAfterMs !== undefined &&
      error.retryAfterMs <= this.retry.maxWaitMs &&
      attempt < this.retry.maxRetries
    );
  }

  private async httpError(response: PostResponse, retriesDone = 0): Promise<ProviderError> {
    let detail = '';
    try {
      const text = await readText(response.body, MAX_ERROR_BODY);
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
        detail = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message ?? text);
      } catch {
        detail = text;
      }
    } catch {
      // the body is unreadable; the status says enough
    }
    detail = this.masked(detail.replace(/\s+/g, ' ').trim()).slice(0, 500);
    const status = response.status;
    const suffix = detail ? `: ${detail}` : '';
    if (status === 401 || status === 403) {
      return new ProviderError('auth', this.id, `${this.id} rejected the API key (HTTP ${status})${suffix}; check models.providers.${this.id}.apiKey`, { status });
    }
    const retryAfterMs = RETRYABLE_STATUS.has(status) ? parseRetryAfter(response.header) : undefined;
    const retried = retriesDone > 0 ? ` (after ${retriesDone} automatic ${retriesDone === 1 ? 'retry' : 'retries'})` : '';
    if (status === 429) {
      return new ProviderError('rate_limit', this.id, `${this.id} is rate limiting requests (HTTP 429)${suffix}${retried}; ${retryAdvice(retryAfterMs, 'wait a moment and try again')}`, {
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    if (status === 404) {
      return new ProviderError('not_found', this.id, `${this.id} answered 404${suffix}; check the model id and models.providers.${this.id}.baseUrl (it usually ends in /v1)`, { status });
    }
    const lower = detail.toLowerCase();
    if (status === 400 && (lower.includes('context') || lower.includes('too many tokens') || lower.includes('maximum'))) {
      return new ProviderError('context_length', this.id, `${this.id}: the conversation is too long for the model${suffix}; compact the session or start a new one`, { status });
    }
    if (status >= 500) {
      return new ProviderError('server', this.id, `${this.id} failed with HTTP ${status}${suffix}${retried}; the provider has a problem, ${retryAdvice(retryAfterMs, 'try again later')}`, {
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    return new ProviderError('bad_request', this.id, `${this.id} refused the request (HTTP ${status})${suffix}`, { status });
  }

  private classify(error: unknown, outer: AbortSignal, idle: AbortSignal, idleMs: number): ProviderError {
    if (error instanceof ProviderError) return error;
    if (outer.aborted) return new ProviderError('aborted', this.id, 'the run was aborted', { cause: error });
    if (idle.aborted) {
      return new ProviderError('timeout', this.id, `${this.id} sent nothing for ${Math.round(idleMs / 1000)} s; the model may be overloaded, try again`, { cause: error });
    }
    if (error instanceof SseTooLargeError) return new ProviderError('malformed', this.id, `${this.id}: ${error.message}`, { cause: error });
    const code = errorCode(error);
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
      const what = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' ? `cannot be reached (${code})` : 'dropped the connection';
      return new ProviderError('connection', this.id, `${this.id} at ${this.options.baseUrl} ${what}; is the server running? check models.providers.${this.id}.baseUrl`, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError('connection', this.id, `request to ${this.id} failed: ${code ?? message}; check models.providers.${this.id}.baseUrl`, { cause: error });
  }
}

/** "retry in 7 s", "retry in 2 min (at 12:34:56 UTC)", or the fallback when the server named no time. */
function retryAdvice(retryAfterMs: number | undefined, fallback: string): string {
  if (retryAfterMs === undefined) return fallback;
  const seconds = Math.ceil(retryAfterMs / 1000);
  if (seconds <= 1) return 'retry in 1 s';
  if (seconds < 120) return `retry in ${seconds} s`;
  const at = new Date(Date.now() + retryAfterMs).toISOString().slice(11, 19);
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? `retry in ${minutes} min (at ${at} UTC)` : `retry in ${Math.ceil(minutes / 60)} h (at ${at} UTC)`;
}

function* flushCalls(calls: Map<number, PendingCall>): Generator<ModelStreamEvent> {
  for (const index of [...calls.keys()].sort((a, b) => a - b)) {
    const call = calls.get(index)!;
    yield { type: 'tool_call', call: { id: call.id, name: call.name, arguments: call.args } };
  }
}

function toUsage(usage: NonNullable<WireChunk['usage']>): ModelUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input: Math.max(0, (usage.prompt_tokens ?? 0) - cached),
    output: usage.completion_tokens ?? 0,
    cacheRead: cached,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  };
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
