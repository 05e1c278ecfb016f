// Retention of stateless OpenAI sessions. A /v1/chat/completions or /v1/responses request that names
// no session (no x-openclaw-session-key, no `user`) runs in a fresh `agent:<id>:openai:<uuid>` /
// `agent:<id>:openresponses:<uuid>` session. Nobody can name such a session again (a Responses
// `previous_response_id` continues it while the response is stored), so they are not kept forever:
// per kind, the most recently used `maxEntries` younger than `ttlMs` stay, and older ones are deleted
// with their transcripts. Sessions of a previous process are found by their key shape on first use.
// A session with a run in progress is never deleted; it is pruned on a later pass.
import { LRUCache } from 'lru-cache';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { statelessSessionKind, type StatelessSessionKind } from '../sessions/stateless-session-key.js';
import type { RetentionLimits } from './openai-endpoint-settings.js';

/** Deletes started and not yet finished, at most; the rest wait for the next batch. */
const MAX_DELETES_IN_FLIGHT = 32;
/** Sessions tracked per kind whatever the configured limits; past it the least recently used is deleted at once. */
const MAX_TRACKED = 100_000;

/** What the retention needs from the session store and the run manager. */
export interface StatelessSessionHost {
  /** Every stored session key with its last update (ms), read once on first use. */
  listSessions(): readonly { readonly key: string; readonly updatedAt: number }[];
  /** True while the session has a run going or queued. */
  isActive(key: string): boolean;
  /** Deletes the session and its transcript; rejects when the session became busy meanwhile. */
  deleteSession(key: string): Promise<void>;
}

export class StatelessSessions {
  /** Per kind, key → last use in ms, in use order (`rentries()`: least recently used first). */
  private readonly used: Record<StatelessSessionKind, LRUCache<string, number>> = { openai: this.tracker(), openresponses: this.tracker() };
  private readonly deleting = new Set<string>();
  private seeded = false;

  constructor(
    private readonly host: StatelessSessionHost,
    private readonly limits: (kind: StatelessSessionKind) => RetentionLimits,
    private readonly logger: GatewayLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sessions currently kept (tracked) of a kind. */
  count(kind: StatelessSessionKind): number {
    this.seed();
    return this.used[kind].size;
  }

  /** Records that a stateless session was just used (its run ended), then prunes its kind. Other keys are ignored. */
  touch(key: string): void {
    const kind = statelessSessionKind(key);
    if (!kind) return;
    this.seed();
    this.used[kind].set(key, this.now());
    this.prune(kind);
  }

  /**
   * Deletes the sessions of a kind beyond the count limit or older than the TTL, oldest first.
   * Sessions with a run going are skipped (the bound applies to the others). A session stays
   * tracked until its delete succeeded, so a refused delete is retried on the next pass.
   */
  prune(kind: StatelessSessionKind): void {
    this.seed();
    const { maxEntries, ttlMs } = this.limits(kind);
    const map = this.used[kind];
    const cutoff = this.now() - ttlMs;
    let excess = map.size - maxEntries;
    for (const key of map.rkeys()) {
      const usedAt = map.peek(key)!;
      if (excess <= 0 && usedAt >= cutoff) break;
      if (this.deleting.has(key)) {
        excess -= 1;
        continue;
      }
      if (this.host.isActive(key)) continue;
      // A backlog (thousands left by an earlier version) goes in batches, not all at once.
      if (this.deleting.size >= MAX_DELETES_IN_FLIGHT) break;
      excess -= 1;
      this.deleting.add(key);
      this.host
        .deleteSession(key)
        .then(
          () => {
            // Unless it was used again meanwhile (a continuation recreates it).
            if (map.peek(key) === usedAt) map.delete(key);
            return true;
          },
          (error: unknown) => {
            this.logger.debug('stateless session not pruned yet', { sessionKey: key, error: error instanceof Error ? error.message : String(error) });
            return false;
          },
        )
        .then((deleted) => {
          this.deleting.delete(key);
          // A batch that made progress starts the next one; a refused delete waits for the next pass.
          if (deleted && this.deleting.size === 0) this.prune(kind);
        });
    }
  }

  /** A bound on memory only: the configured limits (read per pass) keep it far below. */
  private tracker(): LRUCache<string, number> {
    return new LRUCache<string, number>({
      max: MAX_TRACKED,
      dispose: (_usedAt, key, reason) => {
        if (reason !== 'evict') return;
        this.host.deleteSession(key).catch((error: unknown) => {
          this.logger.debug('stateless session over the tracking bound not deleted', { sessionKey: key, error: error instanceof Error ? error.message : String(error) });
        });
      },
    });
  }

  private seed(): void {
    if (this.seeded) return;
    this.seeded = true;
    const found = this.host
      .listSessions()
      .map((s) => Object.assign({}, s, { kind: statelessSessionKind(s.key) }))
      .filter((s) => s.kind !== undefined)
      .sort((a, b) => a.updatedAt - b.updatedAt);
    for (const s of found) this.used[s.kind!].set(s.key, s.updatedAt);
  }
}
