// Where idempotency keys and their outcomes outlive the process, for their retention window: a
// re-sent chat.send after a restart (kill -9 included) finds the run it already started instead of
// running the turn twice. The default is a JSONL file in the state dir: one append when a key is
// accepted and one when its run ends (never a rewrite on the hot path); expired keys are dropped
// when the file is compacted (at start-up, and when it has grown past a bound).
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../state/atomic-file.js';
import { JsonlAppender, readJsonl } from '../state/jsonl-file.js';
import type { AgentRunResult } from './run-types.js';

/** Whose key it is: the same key under another session or owner is another run. */
export interface IdempotencyScope {
  readonly key: string;
  readonly sessionKey: string;
  /** A device id, or '' when the key belongs to any caller of the session. */
  readonly owner: string;
}

export interface IdempotencyEntry extends IdempotencyScope {
  readonly runId: string;
  readonly agentId: string;
  readonly sessionId: string;
  /** `<provider>/<model>` the run was accepted with. */
  readonly model: string;
  readonly acceptedAt: number;
  /** The run's outcome, once it ended; an entry without one is a run the previous process never finished. */
  readonly result?: AgentRunResult;
  /** When the key may be reused for a new run (set with the result). */
  readonly expiresAt?: number;
}

export interface IdempotencyStore {
  /** The entries a previous process left that are still live: unexpired outcomes, and runs it never finished. */
  load(now: number): IdempotencyEntry[];
  /** A run was accepted under a key (one append). */
  accepted(entry: IdempotencyEntry): void;
  /** That run ended (one append). */
  finished(entry: IdempotencyEntry & { readonly result: AgentRunResult; readonly expiresAt: number }): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface FileIdempotencyStoreOptions {
  /** Past this many bytes appended since the last compaction, expired entries are dropped (default 8 MiB). */
  readonly compactAfterBytes?: number;
  readonly onError?: (error: Error) => void;
  readonly now?: () => number;
}

export const scopeId = (s: IdempotencyScope): string => JSON.stringify([s.owner, s.sessionKey, s.key]);

function asEntry(value: unknown): IdempotencyEntry | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const e = value as Record<string, unknown>;
  const strings = [e.key, e.sessionKey, e.owner, e.runId, e.agentId, e.sessionId, e.model].every((v) => typeof v === 'string');
  if (!strings || typeof e.acceptedAt !== 'number') return undefined;
  if (e.result !== undefined && (typeof e.result !== 'object' || e.result === null || typeof e.expiresAt !== 'number')) return undefined;
  return e as unknown as IdempotencyEntry;
}

export function fileIdempotencyStore(path: string, options: FileIdempotencyStoreOptions = {}): IdempotencyStore {
  const onError = options.onError ?? (() => {});
  const now = options.now ?? Date.now;
  const compactAfter = options.compactAfterBytes ?? 8 * 1024 * 1024;
  let appender = new JsonlAppender(path, onError);
  let appended = 0;

  /** The latest line per scope, without expired outcomes. */
  const live = (at: number): IdempotencyEntry[] => {
    const latest = new Map<string, IdempotencyEntry>();
    const report = readJsonl(path, (value) => {
      const entry = asEntry(value);
      if (entry) latest.set(scopeId(entry), entry);
      return entry !== undefined;
    });
    if (report.repairError) onError(report.repairError);
    return [...latest.values()].filter((e) => e.expiresAt === undefined || e.expiresAt > at);
  };

  /** Synchronous from read to swap, so no append lands in the file being replaced. */
  const compact = (at: number): IdempotencyEntry[] => {
    if (!existsSync(path)) return [];
    const entries = live(at);
    writeFileAtomic(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const old = appender;
    appender = new JsonlAppender(path, onError);
    void old.close().catch(onError);
    appended = 0;
    return entries;
  };

  const append = (entry: IdempotencyEntry): void => {
    const line = `${JSON.stringify(entry)}\n`;
    appender.append(line);
    appended += line.length;
    if (appended > compactAfter) {
      try {
        compact(now());
      } catch (error) {
        onError(error as Error);
      }
    }
  };

  return {
    load(at) {
      try {
        return compact(at);
      } catch (error) {
        onError(error as Error);
        return [];
      }
    },
    accepted: append,
    finished: append,
    flush: () => appender.flush(),
    close: () => appender.close(),
  };
}
