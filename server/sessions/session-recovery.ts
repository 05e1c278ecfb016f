// A crash can land between a transcript's first write and the index write that names it. Such a
// transcript (a `.jsonl` no index entry points at, whose header carries its key) gets its entry back.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseSessionKey } from './session-key.js';
import type { StoredSessionEntry } from './session-store.js';
import type { SessionHeaderEntry } from './transcript-types.js';

export interface RecoveryContext {
  readonly dir: string;
  readonly agentId: string;
  canonical(key: string): string;
  transcriptPath(entry: StoredSessionEntry): string;
}

/** Adds entries for orphaned transcripts to `index`; returns how many. */
export function recoverOrphanedTranscripts(ctx: RecoveryContext, index: Map<string, StoredSessionEntry>): number {
  if (!existsSync(ctx.dir)) return 0;
  const referenced = new Set([...index.values()].map((e) => basename(ctx.transcriptPath(e))));
  let recovered = 0;
  for (const name of readdirSync(ctx.dir)) {
    if (!name.endsWith('.jsonl') || referenced.has(name)) continue;
    const path = join(ctx.dir, name);
    const header = readHeader(path);
    if (!header?.sessionKey) continue;
    const key = ctx.canonical(header.sessionKey);
    if (parseSessionKey(key)?.agentId !== ctx.agentId) continue;
    const existing = index.get(key);
    // An entry whose own transcript exists wins; one whose file is gone takes the orphan.
    if (existing && existsSync(ctx.transcriptPath(existing))) continue;
    const created = Date.parse(header.timestamp);
    index.set(key, {
      ...existing,
      sessionId: header.id,
      sessionFile: path,
      createdAt: Number.isNaN(created) ? Date.now() : created,
      updatedAt: Math.floor(statSync(path).mtimeMs),
    });
    recovered++;
  }
  return recovered;
}

function readHeader(path: string): SessionHeaderEntry | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(16 * 1024);
      const text = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
      const nl = text.indexOf('\n');
      const header = JSON.parse(nl >= 0 ? text.slice(0, nl) : text) as SessionHeaderEntry;
      return header.type === 'session' && typeof header.id === 'string' ? header : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
