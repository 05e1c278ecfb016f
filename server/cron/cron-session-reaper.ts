// Isolated runs get a new session each; upstream prunes them after `cron.sessionRetention` (default
// 24 h, `false` keeps them). After a job's isolated run ends — at most every ten minutes per job, so
// no timer of its own — its run sessions older than that are deleted through `sessions.delete`
// (their transcripts archived), and only keys of that job's run sessions are ever touched.
import type { CronRunLogEntry } from '../../contract/schemas/cron.js';
import type { CallerPrincipal, InProcessCaller } from '../core/in-process-caller.js';

const SWEEP_EVERY_MS = 10 * 60_000;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `"24h"`, `"7d"`, `"1h30m"` (a bare number is hours, as upstream) → ms; undefined when unreadable. */
export function parseRetention(value: string | false | undefined): number | undefined | false {
  if (value === false) return false;
  const text = (value ?? '24h').trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * UNITS.h!;
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(amount) * UNITS[unit!]!;
  return total;
}

export interface SessionReaperDeps {
  createCaller(principal: CallerPrincipal): InProcessCaller;
  /** Retention in ms, or false to keep run sessions. */
  retentionMs(): number | false;
  now(): number;
  onError(error: Error): void;
}

export class CronSessionReaper {
  private readonly lastSweep = new Map<string, number>();
  private readonly reaped = new Set<string>();

  constructor(private readonly deps: SessionReaperDeps) {}

  /** Called when one of a job's isolated runs ended; reads its recent run-log entries only when a sweep is due. */
  sweep(jobId: string, recentEntries: () => readonly CronRunLogEntry[]): void {
    const retention = this.deps.retentionMs();
    const now = this.deps.now();
    if (retention === false || now - (this.lastSweep.get(jobId) ?? 0) < SWEEP_EVERY_MS) return;
    this.lastSweep.set(jobId, now);
    if (this.reaped.size > 100_000) this.reaped.clear();
    const entries = recentEntries();
    const marker = `:cron:${jobId}:run:`;
    const expired = entries
      .filter((e) => e.sessionKey?.includes(marker) && e.ts < now - retention && !this.reaped.has(e.sessionKey))
      .map((e) => e.sessionKey!);
    if (expired.length === 0) return;
    void this.remove([...new Set(expired)]);
  }

  private async remove(keys: string[]): Promise<void> {
    const caller = this.deps.createCaller({ id: 'cron:session-reaper', scopes: ['operator.admin'] });
    try {
      for (const key of keys) {
        await caller.call('sessions.delete', { key }).catch((error: Error & { details?: { code?: string } }) => {
          if (error.details?.code !== 'SESSION_NOT_FOUND') throw error;
        });
        this.reaped.add(key);
      }
    } catch (error) {
      this.deps.onError(error as Error);
    } finally {
      caller.close();
    }
  }
}
