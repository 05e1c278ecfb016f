// What `previous_response_id` continues from: the agent, the session and the conversation up to and
// including that response's output. In memory (lru-cache), bounded by count, size and age (least
// recently used go first).
import { LRUCache } from 'lru-cache';
import type { ModelMessage } from '../providers/model-types.js';

export interface StoredResponse {
  readonly agentId: string;
  readonly sessionKey: string;
  /** Prior messages, the user turn, and the reply (with its client tool calls). */
  readonly context: readonly ModelMessage[];
}

interface Entry extends StoredResponse {
  readonly chars: number;
  readonly storedAt: number;
}

export interface ResponseStoreLimits {
  readonly maxEntries: number;
  readonly maxChars: number;
  readonly ttlMs: number;
}

export const DEFAULT_RESPONSE_STORE_LIMITS: ResponseStoreLimits = { maxEntries: 1000, maxChars: 32 * 1024 * 1024, ttlMs: 6 * 60 * 60 * 1000 };

const charsOf = (messages: readonly ModelMessage[]): number =>
  messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length) + (m.role === 'assistant' ? JSON.stringify(m.toolCalls ?? []).length : 0), 0);

export class ResponseStore {
  private readonly limitsNow: () => ResponseStoreLimits;
  private cache: LRUCache<string, Entry> | undefined;
  private cacheLimits: ResponseStoreLimits | undefined;

  /** `limits` may be a function, read on every call, so a config reload applies at once. */
  constructor(
    limits: ResponseStoreLimits | (() => ResponseStoreLimits) = DEFAULT_RESPONSE_STORE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.limitsNow = typeof limits === 'function' ? limits : () => limits;
  }

  get size(): number {
    return this.current().size;
  }

  put(responseId: string, response: StoredResponse): void {
    const cache = this.current();
    const limits = this.cacheLimits!;
    const chars = charsOf(response.context);
    if (limits.maxEntries === 0 || chars > limits.maxChars) return;
    cache.set(responseId, Object.assign({}, response, { chars, storedAt: this.now() }));
  }

  get(responseId: string): StoredResponse | undefined {
    return this.current().get(responseId);
  }

  /** The cache for the limits in force; rebuilt (entries, their order and ages kept) when a reload changed them. */
  private current(): LRUCache<string, Entry> {
    const limits = this.limitsNow();
    const built = this.cacheLimits;
    if (this.cache && built && built.maxEntries === limits.maxEntries && built.maxChars === limits.maxChars && built.ttlMs === limits.ttlMs) return this.cache;
    const next = new LRUCache<string, Entry>({
      max: Math.max(1, limits.maxEntries),
      maxSize: Math.max(1, limits.maxChars),
      sizeCalculation: (entry) => Math.max(1, entry.chars),
      ttl: limits.ttlMs,
      // Read the clock on every check (the default caches it with a timer per read).
      ttlResolution: 0,
      perf: { now: this.now },
    });
    // Least recently used first, so the new cache keeps the order.
    const previous = this.cache;
    if (previous && limits.maxEntries > 0) {
      for (const id of [...previous.rkeys()]) {
        const entry = previous.peek(id);
        if (entry && entry.chars <= limits.maxChars) next.set(id, entry, { start: entry.storedAt });
      }
    }
    this.cache = next;
    this.cacheLimits = limits;
    return next;
  }
}
