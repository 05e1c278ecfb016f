// The store seam for append-only records (cron run logs, approval decisions): append one record,
// read the newest ones back, prune by size. The default is a JSONL file in the state dir
// (jsonl-file.ts: one write() per record, fdatasync batched off the event loop, a torn last line
// repaired on read).
import { existsSync, renameSync, statSync } from 'node:fs';
import { writeFileAtomic } from './atomic-file.js';
import { JsonlAppender, readJsonl } from './jsonl-file.js';

export interface RecordLog<T> {
  readonly location: string;
  append(record: T): void;
  /** The newest `limit` records, oldest first (records that do not parse are skipped). */
  tail(limit: number): T[];
  /** Resolves when every append so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface FileRecordLogOptions {
  /** When the file grows past this, the oldest records are dropped so about half of it remains. */
  readonly maxBytes?: number;
  readonly onError?: (error: Error) => void;
  /** Turns a parsed line into a record; undefined skips it (a line from another version, a bad edit). */
  readonly parse?: (value: unknown) => unknown;
}

export function fileRecordLog<T>(path: string, options: FileRecordLogOptions = {}): RecordLog<T> {
  const onError = options.onError ?? (() => {});
  let appender = new JsonlAppender(path, onError);
  // A log opened again (after a restart) counts what it holds already, so it is pruned even when it grows slowly.
  let writtenSinceCheck = options.maxBytes && existsSync(path) ? statSync(path).size : 0;
  const parse = options.parse ?? ((v: unknown) => v);

  /** Records that do not parse (a corrupt line, one from another version) are skipped. */
  const readAll = (): T[] => {
    const out: T[] = [];
    const report = readJsonl(path, (value) => {
      let record: unknown;
      try {
        record = parse(value);
      } catch {
        record = undefined;
      }
      if (record !== undefined) out.push(record as T);
      return record !== undefined;
    });
    if (report.repairError) onError(report.repairError);
    return out;
  };

  /** Synchronous from read to swap, so no append can land in the file being replaced. */
  const prune = (): void => {
    const max = options.maxBytes;
    if (!max || !existsSync(path) || statSync(path).size <= max) return;
    const lines = readAll().map((r) => `${JSON.stringify(r)}\n`);
    let keep = lines.length;
    let bytes = 0;
    while (keep > 0 && bytes + lines[keep - 1]!.length <= max / 2) bytes += lines[--keep]!.length;
    writeFileAtomic(path, lines.slice(keep).join(''));
    const old = appender;
    appender = new JsonlAppender(path, onError);
    void old.close().catch((error: Error) => onError(error));
  };

  return {
    location: path,
    append(record) {
      const line = `${JSON.stringify(record)}\n`;
      appender.append(line);
      writtenSinceCheck += line.length;
      if (options.maxBytes && writtenSinceCheck > options.maxBytes / 8) {
        writtenSinceCheck = 0;
        try {
          prune();
        } catch (error) {
          onError(error as Error);
        }
      }
    },
    tail(limit) {
      const all = readAll();
      return all.slice(Math.max(0, all.length - limit));
    },
    flush: () => appender.flush(),
    close: () => appender.close(),
  };
}

/** Renames a log aside (e.g. when its job is removed), keeping it for inspection. */
export function retireRecordLog(path: string): void {
  if (existsSync(path)) renameSync(path, `${path}.removed-${Date.now()}`);
}
