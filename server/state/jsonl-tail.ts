// Reads a JSONL file from its end (chat.history's last messages of a long transcript): chunks are
// read backwards until the caller has what it wants, so the cost follows what is read, not the
// file's size. A torn last line is repaired first, exactly as readJsonl would repair it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { repairTail } from './jsonl-file.js';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface JsonlTailReport {
  /** Bytes cut off the end because the last line was torn. */
  readonly repairedBytes: number;
  /** True when every line was visited (the reader got to the file's start). */
  readonly reachedStart: boolean;
}

/**
 * Hands the file's records to `visit` last first; `visit` returns false to stop. Lines that are not
 * JSON or that `accept` refuses are skipped. A missing file reads as empty.
 */
export function readJsonlBackwards(path: string, accept: (value: unknown) => boolean, visit: (value: unknown) => boolean): JsonlTailReport {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { repairedBytes: 0, reachedStart: true };
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${path} is not a regular file`);
    const size = fstatSync(fd).size;
    const { end, repairedBytes } = repairedEnd(path, fd, size, accept);
    const parse = (line: Buffer): unknown => {
      const text = line.toString('utf8').trim();
      if (!text) return undefined;
      try {
        const value = JSON.parse(text) as unknown;
        return accept(value) ? value : undefined;
      } catch {
        return undefined;
      }
    };
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let carry: Buffer | undefined;
    let position = end;
    while (position > 0) {
      const from = Math.max(0, position - CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, position - from, from);
      position = from;
      const data = carry ? Buffer.concat([chunk.subarray(0, n), carry]) : Buffer.from(chunk.subarray(0, n));
      let lineEnd = data.length;
      for (let nl = data.lastIndexOf(NEWLINE, lineEnd - 1); nl !== -1; nl = lineEnd > 0 ? data.lastIndexOf(NEWLINE, lineEnd - 1) : -1) {
        const value = parse(data.subarray(nl + 1, lineEnd));
        if (value !== undefined && !visit(value)) return { repairedBytes, reachedStart: false };
        lineEnd = nl;
      }
      carry = data.subarray(0, lineEnd);
    }
    if (carry && carry.length > 0) {
      const value = parse(carry);
      if (value !== undefined) visit(value);
    }
    return { repairedBytes, reachedStart: true };
  } finally {
    closeSync(fd);
  }
}

/** Where the whole lines end: a torn last line gets its newline (a whole record) or is cut off. */
function repairedEnd(path: string, fd: number, size: number, accept: (value: unknown) => boolean): { end: number; repairedBytes: number } {
  if (size === 0) return { end: 0, repairedBytes: 0 };
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === NEWLINE) return { end: size, repairedBytes: 0 };
  const parts: Buffer[] = [];
  let start = size;
  const chunk = Buffer.alloc(CHUNK_BYTES);
  for (;;) {
    const from = Math.max(0, start - CHUNK_BYTES);
    const n = readSync(fd, chunk, 0, start - from, from);
    const nl = chunk.subarray(0, n).lastIndexOf(NEWLINE);
    if (nl !== -1) {
      parts.unshift(Buffer.from(chunk.subarray(nl + 1, n)));
      start = from + nl + 1;
      break;
    }
    parts.unshift(Buffer.from(chunk.subarray(0, n)));
    start = from;
    if (from === 0) break;
  }
  const text = Buffer.concat(parts).toString('utf8').trim();
  let whole = false;
  if (text) {
    try {
      whole = accept(JSON.parse(text));
    } catch {
      whole = false;
    }
  }
  try {
    repairTail(path, whole ? { newlineAt: size } : { cutAt: start });
  } catch {
    // read-only or vanished: read as if repaired
  }
  return whole ? { end: size, repairedBytes: 0 } : { end: start, repairedBytes: size - start };
}
