// Every model run's tokens and cost, kept durably and aggregated for usage.status / usage.cost.
//
// On disk: one JSONL line per run in `usage/usage-YYYY-MM.jsonl` (UTC month of the run's end),
// appended with the transcripts' appender (one write per record, fdatasync batched in the
// background). A torn last line left by a crash is skipped and cut off on load; an unreadable
// file or line is logged and skipped, never fatal. `usage/usage.jsonl`, the single file earlier
// versions wrote, is read too and never written again.
//
// In memory: no raw records, only totals per 15-minute UTC slot × agent × session × provider ×
// model, so memory grows with distinct sessions and active quarter-hours, not with runs. Sessions
// of OpenAI requests that named none (one per request, pruned by the HTTP layer) count under one
// `agent:<id>:openai:*` / `…:openresponses:*` key, or they would grow with runs after all. Days are
// exact for every whole-quarter-hour UTC offset (all real time zones).
import { closeSync, ftruncateSync, fstatSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { JsonlAppender } from '../sessions/jsonl-appender.js';
import { statelessBucketKey } from '../sessions/stateless-session-key.js';

export interface UsageCost {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
}

export interface UsageRecord {
  readonly ts: number;
  readonly runId: string;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly provider: string;
  readonly model: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** USD; absent when the model has no price. */
  readonly cost?: UsageCost;
}

export interface UsageTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  totalTokens: number;
  totalCost: number;
  inputCost: number;
  outputCost: number;
  cacheReadCost: number;
  cacheWriteCost: number;
  missingCostEntries: number;
}

/** The totals of the runs of one session and model within one 15-minute slot. */
export interface UsageEntry {
  /** Start of the slot (ms since the epoch, UTC). */
  readonly ts: number;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly provider: string;
  readonly model: string;
  readonly totals: UsageTotals;
}

export type UsageFilter = (entry: UsageEntry) => boolean;

export const SLOT_MS = 15 * 60_000;
/** Lines longer than this are not usage records (a record is a few hundred bytes). */
const MAX_LINE_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const MAX_TS = 8.64e15;

export const emptyTotals = (): UsageTotals => ({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  totalTokens: 0,
  totalCost: 0,
  inputCost: 0,
  outputCost: 0,
  cacheReadCost: 0,
  cacheWriteCost: 0,
  missingCostEntries: 0,
});

export function addRecord(totals: UsageTotals, r: UsageRecord): void {
  totals.input += r.input;
  totals.output += r.output;
  totals.cacheRead += r.cacheRead;
  totals.cacheWrite += r.cacheWrite;
  totals.totalTokens += r.input + r.output + r.cacheRead + r.cacheWrite;
  if (r.cost) {
    totals.totalCost += r.cost.total;
    totals.inputCost += r.cost.input;
    totals.outputCost += r.cost.output;
    totals.cacheReadCost += r.cost.cacheRead;
    totals.cacheWriteCost += r.cost.cacheWrite;
  } else if (r.input + r.output + r.cacheRead + r.cacheWrite > 0) {
    totals.missingCostEntries++;
  }
}

export function addTotals(target: UsageTotals, source: UsageTotals): void {
  for (const key of Object.keys(target) as (keyof UsageTotals)[]) target[key] += source[key];
}

/** `usage-YYYY-MM.jsonl` beside the base file `usage.jsonl`, for the UTC month of ts. */
export function monthFileName(base: string, ts: number): string {
  const ext = extname(base);
  return `${basename(base, ext)}-${new Date(ts).toISOString().slice(0, 7)}${ext}`;
}

export class UsageLedger {
  private readonly entries = new Map<string, UsageEntry>();
  private readonly dir: string;
  private appender: JsonlAppender | undefined;
  private appenderFile = '';
  /** Appenders being closed after a month rollover; flush() waits for them. */
  private readonly closing = new Set<Promise<void>>();
  /** Month files whose torn last line could not be cut off: the next record starts a new line. */
  private readonly needsNewline = new Set<string>();

  /**
   * @param path the base ledger file (`<stateDir>/usage/usage.jsonl`): monthly files are written
   *   beside it, and the base file itself, if present, is read as history.
   */
  constructor(
    readonly path: string,
    private readonly logger: Pick<GatewayLogger, 'warn' | 'error'>,
  ) {
    this.dir = dirname(path);
    this.load();
  }

  /** Records one model run: counted at once, appended to this month's file (synced in the background). */
  record(record: UsageRecord): void {
    const clean = validRecord(record);
    if (!clean) {
      this.logger.warn('usage record with invalid numbers not recorded', { runId: String(record.runId) });
      return;
    }
    this.count(clean);
    const file = monthFileName(this.path, clean.ts);
    if (file !== this.appenderFile || !this.appender) this.openAppender(file);
    const prefix = this.needsNewline.delete(file) ? '\n' : '';
    this.appender!.append(`${prefix}${JSON.stringify(clean)}\n`);
  }

  /** Resolves when every record so far is on disk; closes the file (the next record reopens it). */
  async flush(): Promise<void> {
    while (this.closing.size > 0) await Promise.all([...this.closing]);
    await this.appender?.close();
  }

  /** Slot totals (one per slot, session and model), in no particular order. */
  all(filter: UsageFilter = () => true): UsageEntry[] {
    const out: UsageEntry[] = [];
    for (const entry of this.entries.values()) if (filter(entry)) out.push(entry);
    return out;
  }

  /** Providers that have recorded usage. */
  providers(): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.entries.values()) ids.add(entry.provider);
    return ids;
  }

  totals(filter: UsageFilter = () => true): UsageTotals {
    const totals = emptyTotals();
    for (const entry of this.entries.values()) if (filter(entry)) addTotals(totals, entry.totals);
    return totals;
  }

  /** Totals per group (e.g. per model or per session) of the entries that pass the filter. */
  grouped<K extends string>(key: (e: UsageEntry) => K, filter: UsageFilter = () => true): Map<K, { first: UsageEntry; totals: UsageTotals }> {
    const groups = new Map<K, { first: UsageEntry; totals: UsageTotals }>();
    for (const entry of this.entries.values()) {
      if (!filter(entry)) continue;
      const k = key(entry);
      let group = groups.get(k);
      if (!group) {
        group = { first: entry, totals: emptyTotals() };
        groups.set(k, group);
      }
      addTotals(group.totals, entry.totals);
    }
    return groups;
  }

  /** Totals per day between two dates (inclusive, `YYYY-MM-DD`), days shifted by offsetMinutes from UTC. */
  daily(startDate: string, endDate: string, offsetMinutes: number): { date: string; totals: UsageTotals }[] {
    const days = new Map<string, UsageTotals>();
    for (let d = startDate; d <= endDate; d = nextDay(d)) days.set(d, emptyTotals());
    for (const entry of this.entries.values()) {
      const bucket = days.get(dayOf(entry.ts, offsetMinutes));
      if (bucket) addTotals(bucket, entry.totals);
    }
    return [...days].map(([date, totals]) => ({ date, totals }));
  }

  /** How many slot totals are held (memory grows with this, not with runs). */
  get size(): number {
    return this.entries.size;
  }

  private count(r: UsageRecord): void {
    const slot = Math.floor(r.ts / SLOT_MS) * SLOT_MS;
    const sessionKey = statelessBucketKey(r.sessionKey);
    const key = JSON.stringify([slot, r.agentId, sessionKey, r.provider, r.model]);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { ts: slot, agentId: r.agentId, sessionKey, provider: r.provider, model: r.model, totals: emptyTotals() };
      this.entries.set(key, entry);
    }
    addRecord(entry.totals, r);
  }

  private openAppender(file: string): void {
    const previous = this.appender;
    if (previous) {
      const done = previous.close().finally(() => this.closing.delete(done));
      this.closing.add(done);
    }
    this.appenderFile = file;
    this.appender = new JsonlAppender(join(this.dir, file), (error) => this.logger.error('usage ledger write failed', { file, error: error.message }));
  }

  private load(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.logger.error('usage ledger directory unreadable; usage starts empty', { dir: this.dir, error: (error as Error).message });
      return;
    }
    const ext = extname(this.path);
    const base = basename(this.path, ext);
    const month = new RegExp(`^${escapeRegExp(base)}-\\d{4}-\\d{2}${escapeRegExp(ext)}$`);
    const files = names.filter((n) => month.test(n)).sort();
    if (names.includes(basename(this.path))) files.unshift(basename(this.path));
    for (const name of files) this.loadFile(name, name !== basename(this.path));
  }

  /** Reads one file in chunks (never whole into memory); repairs a torn tail of a month file. */
  private loadFile(name: string, appendable: boolean): void {
    const path = join(this.dir, name);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      this.logger.error('usage ledger file unreadable; skipped', { file: name, error: (error as Error).message });
      return;
    }
    let bad = 0;
    let loaded = 0;
    try {
      if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let overlong = false;
      let position = 0;
      /** Offset just past the last newline seen. */
      let lineStart = 0;
      const take = (line: Buffer): void => {
        const text = line.toString('utf8').trim();
        if (!text) return;
        const record = parseRecord(text);
        if (record) {
          this.count(record);
          loaded++;
        } else bad++;
      };
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, position);
        if (n === 0) break;
        let from = 0;
        for (let nl = buffer.indexOf(10, 0); nl !== -1 && nl < n; nl = buffer.indexOf(10, from)) {
          const piece = buffer.subarray(from, nl);
          if (overlong || pendingBytes + piece.length > MAX_LINE_BYTES) bad++;
          else take(pendingBytes ? Buffer.concat([...pending, piece]) : piece);
          pending = [];
          pendingBytes = 0;
          overlong = false;
          from = nl + 1;
          lineStart = position + from;
        }
        if (from < n) {
          const rest = buffer.subarray(from, n);
          if (pendingBytes + rest.length > MAX_LINE_BYTES) {
            overlong = true;
            pending = [];
            pendingBytes = 0;
          } else {
            pending.push(Buffer.from(rest));
            pendingBytes += rest.length;
          }
        }
        position += n;
      }
      if (pendingBytes > 0 || overlong) {
        // The last line has no newline: a crash cut it short (or the newline itself was lost).
        const record = overlong ? undefined : parseRecord(Buffer.concat(pending).toString('utf8').trim());
        if (record) {
          this.count(record);
          loaded++;
        }
        if (appendable) this.repairTail(path, name, lineStart, record !== undefined);
        if (!record) this.logger.warn('usage ledger: torn last line skipped', { file: name });
      }
    } catch (error) {
      this.logger.error('usage ledger file unreadable; the rest of it is skipped', { file: name, error: (error as Error).message });
    } finally {
      closeSync(fd);
    }
    if (bad > 0) this.logger.warn('usage ledger: unreadable lines skipped', { file: name, lines: bad, loaded });
  }

  /** Cuts a torn last line off (or ends a whole one with its newline) so appends start on a fresh line. */
  private repairTail(path: string, name: string, lineStart: number, keep: boolean): void {
    try {
      const fd = openSync(path, 'r+');
      try {
        if (keep) writeSync(fd, '\n', fstatSync(fd).size);
        else ftruncateSync(fd, lineStart);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.needsNewline.add(name);
      this.logger.warn('usage ledger: could not repair a torn last line', { file: name, error: (error as Error).message });
    }
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isMoney = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024;

/** The record if every field it needs is sound, else undefined. */
function validRecord(value: unknown): UsageRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.ts !== 'number' || !Number.isFinite(r.ts) || Math.abs(r.ts) > MAX_TS) return undefined;
  if (!isName(r.agentId) || !isName(r.sessionKey) || !isName(r.provider) || !isName(r.model)) return undefined;
  if (!isCount(r.input) || !isCount(r.output) || !isCount(r.cacheRead) || !isCount(r.cacheWrite)) return undefined;
  let cost: UsageCost | undefined;
  if (r.cost !== undefined) {
    const c = r.cost as Record<string, unknown> | null;
    if (!c || typeof c !== 'object' || !isMoney(c.input) || !isMoney(c.output) || !isMoney(c.cacheRead) || !isMoney(c.cacheWrite) || !isMoney(c.total)) return undefined;
    cost = { input: c.input, output: c.output, cacheRead: c.cacheRead, cacheWrite: c.cacheWrite, total: c.total };
  }
  return {
    ts: r.ts,
    runId: typeof r.runId === 'string' ? r.runId : '',
    agentId: r.agentId,
    sessionKey: r.sessionKey,
    provider: r.provider,
    model: r.model,
    input: r.input,
    output: r.output,
    cacheRead: r.cacheRead,
    cacheWrite: r.cacheWrite,
    ...(cost ? { cost } : {}),
  };
}

function parseRecord(text: string): UsageRecord | undefined {
  if (!text) return undefined;
  try {
    return validRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function dayOf(ts: number, offsetMinutes: number): string {
  return new Date(ts + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
