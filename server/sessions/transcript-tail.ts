// Transcript reads that do not parse the whole file: the last entries (chat.history, previews) read
// backwards, and what an append needs (the last entry id, the message count) for a file never
// loaded. Message lines are counted by their `{"type":"message"` prefix (how every writer of this
// layout starts them) and parsed only when they look otherwise.
import { closeSync, openSync, readSync } from 'node:fs';
import { readJsonlBackwards } from '../state/jsonl-tail.js';
import type { TranscriptEntry } from './transcript-types.js';

type AsEntry = (value: unknown) => TranscriptEntry | undefined;

export interface TailState {
  lastId: string | null;
  messageCount: number;
  /** No entry at all yet: the next append writes the header first. */
  empty: boolean;
}

/** The last entries up to and including the `messages`-th message from the end, in file order. */
export function tailEntries(path: string, messages: number, asEntry: AsEntry): TranscriptEntry[] {
  const picked: TranscriptEntry[] = [];
  let found = 0;
  readJsonlBackwards(
    path,
    (value) => asEntry(value) !== undefined,
    (value) => {
      const entry = value as TranscriptEntry;
      picked.push(entry);
      if (entry.type === 'message') found++;
      return found < messages;
    },
  );
  return picked.reverse();
}

export function readTailState(path: string, asEntry: AsEntry): TailState {
  let lastId: string | null = null;
  let any = false;
  readJsonlBackwards(
    path,
    (value) => asEntry(value) !== undefined,
    (value) => {
      any = true;
      const entry = value as TranscriptEntry;
      if (typeof entry.id === 'string' && entry.type !== 'session') {
        lastId = entry.id;
        return false;
      }
      return true;
    },
  );
  return { lastId, messageCount: any ? countMessageLines(path, asEntry) : 0, empty: !any };
}

const MESSAGE_PREFIX = Buffer.from('{"type":"message"');
const TYPED_PREFIX = Buffer.from('{"type":"');
const CLOSE_BRACE = 0x7d;

/** Message entries in the file, by a forward scan in chunks. */
export function countMessageLines(path: string, asEntry: AsEntry): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  let count = 0;
  const classify = (line: Buffer): void => {
    let end = line.length;
    while (end > 0 && (line[end - 1] === 0x0d || line[end - 1] === 0x20)) end--;
    if (end === 0) return;
    if (line[end - 1] === CLOSE_BRACE && startsWith(line, TYPED_PREFIX)) {
      if (startsWith(line, MESSAGE_PREFIX)) count++;
      return;
    }
    try {
      if (asEntry(JSON.parse(line.toString('utf8')))?.type === 'message') count++;
    } catch {
      // not an entry: skipped, as a full read skips it
    }
  };
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let carry: Buffer | undefined;
    let position = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      const data = carry ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let from = 0;
      for (let nl = data.indexOf(0x0a, from); nl !== -1; nl = data.indexOf(0x0a, from)) {
        classify(data.subarray(from, nl));
        from = nl + 1;
      }
      carry = from < data.length ? Buffer.from(data.subarray(from)) : undefined;
    }
    if (carry) classify(carry);
  } finally {
    closeSync(fd);
  }
  return count;
}

function startsWith(line: Buffer, prefix: Buffer): boolean {
  return line.length >= prefix.length && line.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}
