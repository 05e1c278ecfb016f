// What `previous_response_id` continues from: the agent, the session and the conversation up to and
// including that response's output. In memory, bounded by count, size and age (oldest go first).
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
  private readonly entries = new Map<string, Entry>();
  private chars = 0;
  private readonly limitsNow: () => ResponseStoreLimits;

  /** `limits` may be a function, read on every call, so a config reload applies at once. */
  constructor(
    limits: ResponseStoreLimits | (() => ResponseStoreLimits) = DEFAULT_RESPONSE_STORE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.limitsNow = typeof limits === 'function' ? limits : () => limits;
  }

  private get limits(): ResponseStoreLimits {
    return this.limitsNow();
  }

  get size(): number {
    return this.entries.size;
  }

  put(responseId: string, response: StoredResponse): void {
    const chars = charsOf(response.context);
    if (chars > this.limits.maxChars) return;
    this.delete(responseId);
    this.entries.set(responseId, Object.assign({}, response, { chars, storedAt: this.now() }));
    this.chars += chars;
    this.evict();
  }

  get(responseId: string): StoredResponse | undefined {
    const entry = this.entries.get(responseId);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt > this.limits.ttlMs) {
      this.delete(responseId);
      return undefined;
    }
    return entry;
  }

  private delete(responseId: string): void {
    const entry = this.entries.get(responseId);
    if (!entry) return;
    this.entries.delete(responseId);
    this.chars -= entry.chars;
  }

  private evict(): void {
    const limits = this.limits;
    const cutoff = this.now() - limits.ttlMs;
    for (const [id, entry] of this.entries) {
      const over = this.entries.size > limits.maxEntries || this.chars > limits.maxChars || entry.storedAt < cutoff;
      if (!over) break;
      this.delete(id);
    }
  }
}
