// `logs.tail` over the gateway's own log file: the last lines, or everything after a byte cursor.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface TailRequest {
  readonly cursor?: number | undefined;
  readonly limit?: number | undefined;
  readonly maxBytes?: number | undefined;
}

export interface TailResult {
  file: string;
  cursor: number;
  size: number;
  lines: string[];
  truncated?: boolean;
  reset?: boolean;
}

const DEFAULT_LIMIT = 200;
const DEFAULT_MAX_BYTES = 250_000;

function readRange(file: string, start: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

export function tailLog(file: string, request: TailRequest): TailResult {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { file, cursor: 0, size: 0, lines: [] };
  }
  const limit = request.limit ?? DEFAULT_LIMIT;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const reset = request.cursor !== undefined && request.cursor > size;

  if (request.cursor === undefined || reset) {
    // The tail: last `limit` complete lines within `maxBytes`.
    const start = Math.max(0, size - maxBytes);
    const text = readRange(file, start, size - start).toString('utf8');
    let lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (start > 0) lines = lines.slice(1); // first line is cut
    const truncated = start > 0 || lines.length > limit;
    return { file, cursor: size, size, lines: lines.slice(-limit), ...(truncated ? { truncated } : {}), ...(reset ? { reset } : {}) };
  }

  // Forward from the cursor: whole lines only, so the next cursor starts on a line boundary.
  const available = size - request.cursor;
  const chunk = readRange(file, request.cursor, Math.min(available, maxBytes));
  const lastNewline = chunk.lastIndexOf(0x0a);
  if (lastNewline < 0) {
    // One line longer than maxBytes: return it cut rather than stall the cursor forever.
    if (chunk.length >= maxBytes) {
      return { file, cursor: request.cursor + chunk.length, size, lines: [chunk.toString('utf8')], truncated: true };
    }
    return { file, cursor: request.cursor, size, lines: [] };
  }
  const lines = chunk.subarray(0, lastNewline).toString('utf8').split('\n');
  const taken = lines.slice(0, limit);
  const consumed = taken.reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0);
  const cursor = request.cursor + consumed;
  const truncated = cursor < size;
  return { file, cursor, size, lines: taken, ...(truncated ? { truncated } : {}) };
}
