// Append-only JSONL files: the one module under transcripts, the usage ledger, record logs and the
// idempotency store. Appends are one synchronous write() each (in the page cache at once, so they
// survive a killed process) with the fdatasync that makes them survive a power cut batched off the
// event loop. Reads go in chunks (a file is never held whole), and a torn last line left by a crash
// is repaired: a whole record gets its missing newline, a torn one is cut off.
import { closeSync, fdatasync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonlAppender {
  private fd: number | undefined;
  private syncing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    readonly path: string,
    private readonly onError: (error: Error) => void,
    /** fdatasync after writes (transcripts); off for best-effort logs. */
    private readonly durable = true,
  ) {}

  /** Nothing waiting for fdatasync. */
  get idle(): boolean {
    return this.syncing === undefined && !this.dirty;
  }

  /** Writes text (one or more complete lines) now; the sync follows in the background. */
  append(text: string): void {
    try {
      let data = Buffer.from(text, 'utf8');
      if (this.fd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.path, 'a+', 0o600);
        // A file whose last line has no newline (a crash mid-write): start on a line of our own.
        if (!endsWithNewline(this.fd)) data = Buffer.concat([NEWLINE, data]);
      }
      let offset = 0;
      while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
    } catch (error) {
      this.onError(error as Error);
      return;
    }
    if (!this.durable) return;
    this.dirty = true;
    this.syncing ??= this.syncLoop();
  }

  /** Resolves when everything appended so far is synced. */
  async flush(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  /** Flushes and closes the file (before it is renamed, rewritten or deleted). The next append reopens it. */
  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  private async syncLoop(): Promise<void> {
    try {
      while (this.dirty && this.fd !== undefined) {
        this.dirty = false;
        const fd = this.fd;
        await new Promise<void>((resolve) =>
          fdatasync(fd, (error) => {
            if (error) this.onError(error);
            resolve();
          }),
        );
      }
    } finally {
      this.syncing = undefined;
    }
  }
}

const NEWLINE = Buffer.from('\n');

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

export interface JsonlReadOptions {
  /** Longer lines are skipped without being held whole (default: no limit). */
  readonly maxLineBytes?: number;
  readonly chunkBytes?: number;
  /** Repair a torn last line in the file (default true); false leaves the file as it is (read-only history). */
  readonly repair?: boolean;
}

export interface JsonlReadReport {
  /** Lines `accept` took. */
  readonly records: number;
  /** Lines that were not JSON, too long, or refused by `accept`. */
  readonly skipped: number;
  /** What happened to a last line without its newline. */
  readonly tail: 'none' | 'completed' | 'cut' | 'unrepaired';
  /** Bytes cut off the end (a torn last line). */
  readonly repairedBytes: number;
  /** Why the repair failed, when it did. */
  readonly repairError?: Error;
}

const EMPTY_REPORT: JsonlReadReport = { records: 0, skipped: 0, tail: 'none', repairedBytes: 0 };

/**
 * Reads a JSONL file line by line in chunks, handing each parsed line to `accept`, which returns
 * false for a value it refuses. Blank lines are ignored; a missing file reads as empty. A last line
 * without its newline is kept (and given one) when `accept` takes it, else cut off.
 */
export function readJsonl(path: string, accept: (value: unknown) => boolean, options: JsonlReadOptions = {}): JsonlReadReport {
  const maxLineBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
  const repair = options.repair ?? true;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_REPORT;
    throw error;
  }
  let records = 0;
  let skipped = 0;
  const take = (line: Buffer): boolean => {
    const text = line.toString('utf8').trim();
    if (!text) return true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      skipped++;
      return false;
    }
    if (accept(value)) {
      records++;
      return true;
    }
    skipped++;
    return false;
  };
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${path} is not a regular file`);
    const buffer = Buffer.alloc(options.chunkBytes ?? 1024 * 1024);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overlong = false;
    let position = 0;
    /** Offset just past the last newline seen: where a torn last line starts. */
    let lineStart = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) break;
      let from = 0;
      for (let nl = buffer.indexOf(0x0a, 0); nl !== -1 && nl < n; nl = buffer.indexOf(0x0a, from)) {
        const piece = buffer.subarray(from, nl);
        if (overlong || pendingBytes + piece.length > maxLineBytes) skipped++;
        else take(pendingBytes ? Buffer.concat([...pending, piece]) : piece);
        pending = [];
        pendingBytes = 0;
        overlong = false;
        from = nl + 1;
        lineStart = position + from;
      }
      if (from < n) {
        const rest = buffer.subarray(from, n);
        if (overlong || pendingBytes + rest.length > maxLineBytes) {
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
    if (pendingBytes === 0 && !overlong) return { records, skipped, tail: 'none', repairedBytes: 0 };
    const tailLine = overlong ? undefined : Buffer.concat(pending);
    const whole = tailLine !== undefined && tailLine.toString('utf8').trim() !== '' && take(tailLine);
    if (overlong) skipped++;
    if (!repair) return { records, skipped, tail: 'unrepaired', repairedBytes: 0 };
    try {
      repairTail(path, whole ? { newlineAt: position } : { cutAt: lineStart });
    } catch (error) {
      return { records, skipped, tail: 'unrepaired', repairedBytes: 0, repairError: error as Error };
    }
    return whole ? { records, skipped, tail: 'completed', repairedBytes: 0 } : { records, skipped, tail: 'cut', repairedBytes: position - lineStart };
  } finally {
    closeSync(fd);
  }
}

/** Ends a whole last record with its newline, or cuts a torn one off. */
function repairTail(path: string, at: { newlineAt: number } | { cutAt: number }): void {
  const fd = openSync(path, 'r+');
  try {
    if ('newlineAt' in at) writeSync(fd, '\n', at.newlineAt);
    else ftruncateSync(fd, at.cutAt);
  } finally {
    closeSync(fd);
  }
}
