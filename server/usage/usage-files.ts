// The usage ledger on disk: one JSONL line per run in `usage/usage-YYYY-MM.jsonl` (UTC month of the
// run's end), appended with the state JSONL module (one write per record, fdatasync batched in the
// background). A torn last line left by a crash is skipped and cut off on load; an unreadable file
// or line is logged and skipped, never fatal. `usage/usage.jsonl`, the single file earlier versions
// wrote, is read too and never written again.
import { readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { JsonlAppender, readJsonl } from '../state/jsonl-file.js';
import { validUsageRecord, type UsageRecord } from './usage-record.js';

/** Lines longer than this are not usage records (a record is a few hundred bytes). */
const MAX_LINE_BYTES = 64 * 1024;

/** `usage-YYYY-MM.jsonl` beside the base file `usage.jsonl`, for the UTC month of ts. */
export function monthFileName(base: string, ts: number): string {
  const ext = extname(base);
  return `${basename(base, ext)}-${new Date(ts).toISOString().slice(0, 7)}${ext}`;
}

export class UsageFiles {
  private readonly dir: string;
  private appender: JsonlAppender | undefined;
  private appenderFile = '';
  /** Appenders being closed after a month rollover; flush() waits for them. */
  private readonly closing = new Set<Promise<void>>();

  /** @param path the base file (`<stateDir>/usage/usage.jsonl`): month files are written beside it. */
  constructor(
    readonly path: string,
    private readonly logger: Pick<GatewayLogger, 'warn' | 'error'>,
  ) {
    this.dir = dirname(path);
  }

  /** Every sound record of every file (the base file first, then months in order). */
  load(onRecord: (record: UsageRecord) => void): void {
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
    for (const name of files) this.loadFile(name, name !== basename(this.path), onRecord);
  }

  /** Appends one record to the file of its month (synced in the background). */
  append(record: UsageRecord): void {
    const file = monthFileName(this.path, record.ts);
    if (file !== this.appenderFile || !this.appender) this.openAppender(file);
    this.appender!.append(`${JSON.stringify(record)}\n`);
  }

  /** Resolves when every record so far is on disk; closes the file (the next record reopens it). */
  async flush(): Promise<void> {
    while (this.closing.size > 0) await Promise.all([...this.closing]);
    await this.appender?.close();
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

  /** One file, read in chunks; a month file's torn tail is repaired, the legacy base file is left as it is. */
  private loadFile(name: string, appendable: boolean, onRecord: (record: UsageRecord) => void): void {
    let report;
    try {
      report = readJsonl(
        join(this.dir, name),
        (value) => {
          const record = validUsageRecord(value);
          if (record) onRecord(record);
          return record !== undefined;
        },
        { maxLineBytes: MAX_LINE_BYTES, repair: appendable },
      );
    } catch (error) {
      this.logger.error('usage ledger file unreadable; the rest of it is skipped', { file: name, error: (error as Error).message });
      return;
    }
    const torn = report.tail === 'cut' || (report.tail === 'unrepaired' && report.skipped > 0);
    if (torn) this.logger.warn('usage ledger: torn last line skipped', { file: name });
    if (report.repairError) this.logger.warn('usage ledger: could not repair a torn last line', { file: name, error: report.repairError.message });
    const bad = report.skipped - (torn ? 1 : 0);
    if (bad > 0) this.logger.warn('usage ledger: unreadable lines skipped', { file: name, lines: bad, loaded: report.records });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
