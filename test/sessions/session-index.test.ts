// The SQLite session index beside sessions.json: pages with upstream's paging fields, a change that
// reaches the index at once without rewriting sessions.json, rebuilds when sessions.json was edited
// or the index is gone, and transcripts read from their end (chat.history of a long one).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayLogger } from '../../server/logs/gateway-logger.js';
import { SessionStore } from '../../server/sessions/session-store.js';
import { TranscriptFile } from '../../server/sessions/transcript-file.js';
import { readJsonlBackwards } from '../../server/state/jsonl-tail.js';
import { startInProcess } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-session-index-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as GatewayLogger;
const storeOn = (dir: string): SessionStore => new SessionStore(dir, silent, { defaultAgentId: () => 'main', mainKey: () => 'main' }, () => dir);
const indexJson = (dir: string): Record<string, { label?: string; sessionId: string }> =>
  JSON.parse(readFileSync(join(dir, 'agents', 'main', 'sessions', 'sessions.json'), 'utf8'));

/** `count` sessions whose updatedAt falls as the number grows: s0 is the most recent. */
function seed(store: SessionStore, count: number): void {
  for (let i = 0; i < count; i++) {
    store.ensure(`agent:main:s${i}`);
    store.update(`agent:main:s${i}`, (e) => {
      e.updatedAt = 1_000_000 - i;
    });
  }
}

describe('session index', () => {
  it('sessions.list pages: limit (default 100), offset, totalCount, limitApplied, nextOffset, hasMore', async () => {
    const gw = await startInProcess();
    try {
      const { socket } = await openReady(gw.url, gw.token);
      for (let i = 0; i < 7; i++) expect((await call(socket, 'sessions.patch', { key: `agent:main:page-${i}`, label: `page ${i}` })).ok).toBe(true);
      const first = await call(socket, 'sessions.list', { limit: 3 });
      expect(first.payload).toMatchObject({ count: 7, totalCount: 7, limitApplied: 3, offset: 0, nextOffset: 3, hasMore: true });
      expect(first.payload.sessions.map((s: { label: string }) => s.label)).toEqual(['page 6', 'page 5', 'page 4']);
      const middle = await call(socket, 'sessions.list', { limit: 3, offset: first.payload.nextOffset });
      expect(middle.payload.sessions.map((s: { label: string }) => s.label)).toEqual(['page 3', 'page 2', 'page 1']);
      const last = await call(socket, 'sessions.list', { limit: 3, offset: 6 });
      expect(last.payload).toMatchObject({ totalCount: 7, nextOffset: null, hasMore: false });
      expect(last.payload.sessions.map((s: { label: string }) => s.label)).toEqual(['page 0']);
      expect((await call(socket, 'sessions.list', { offset: 50 })).payload).toMatchObject({ sessions: [], totalCount: 7, limitApplied: 100, hasMore: false, nextOffset: null });
      const filtered = await call(socket, 'sessions.list', { search: 'PAGE 3', limit: 5 });
      expect(filtered.payload).toMatchObject({ count: 1, totalCount: 1, hasMore: false });
      socket.close();
    } finally {
      await gw.stop();
    }
  });

  it('a change reaches the index at once and does not rewrite sessions.json; a later flush exports it', async () => {
    const dir = tempDir();
    const store = storeOn(dir);
    seed(store, 100);
    await store.close();
    const path = join(dir, 'agents', 'main', 'sessions', 'sessions.json');
    const exported = statSync(path, { bigint: true });
    expect(Object.keys(indexJson(dir))).toHaveLength(100);

    const live = storeOn(dir);
    live.update('agent:main:s42', (e) => {
      e.label = 'changed';
    });
    // One change in a hundred is below the export threshold: sessions.json is untouched...
    const after = statSync(path, { bigint: true });
    expect([after.ino, after.mtimeNs, after.size]).toEqual([exported.ino, exported.mtimeNs, exported.size]);
    expect(indexJson(dir)['agent:main:s42']!.label).toBeUndefined();
    // ...yet a process that opens the state now (as after a kill -9) sees the change.
    const reader = storeOn(dir);
    expect(reader.get('agent:main:s42')!.label).toBe('changed');
    expect(reader.page(['main'], { includeGlobal: true }, 0, 3).map((r) => r.key)).toEqual(['agent:main:s0', 'agent:main:s1', 'agent:main:s2']);
    await live.close();
    expect(indexJson(dir)['agent:main:s42']!.label).toBe('changed');
    await reader.close();
  });

  it('rebuilds from sessions.json when it was edited by hand or the index file is gone', async () => {
    const dir = tempDir();
    const store = storeOn(dir);
    seed(store, 5);
    await store.close();
    const edited = indexJson(dir);
    delete edited['agent:main:s1'];
    edited['agent:main:s0']!.label = 'edited by hand';
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 'sessions.json'), JSON.stringify(edited, null, 2));

    const reopened = storeOn(dir);
    expect(reopened.get('agent:main:s0')!.label).toBe('edited by hand');
    expect(reopened.get('agent:main:s1')).toBeUndefined();
    expect(reopened.count(['main'])).toBe(4);
    await reopened.close();

    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, 'agents', 'main', 'sessions', `sessions.index.sqlite${suffix}`), { force: true });
    const rebuilt = storeOn(dir);
    expect(rebuilt.count(['main'])).toBe(4);
    expect(rebuilt.keyOfSessionId(edited['agent:main:s3']!.sessionId)).toBe('agent:main:s3');
    await rebuilt.close();
  });

  it('reads the last messages of a transcript from its end, across chunk boundaries, and appends to it without loading it', () => {
    const dir = tempDir();
    const path = join(dir, 'long.jsonl');
    const writer = new TranscriptFile(path, 'sid', dir);
    const big = 'x'.repeat(100 * 1024); // longer than one 64 KB read
    for (let i = 0; i < 30; i++) writer.appendMessage({ role: i % 2 ? 'assistant' : 'user', content: [{ type: 'text', text: `${i} ${i % 7 === 0 ? big : ''}` }], timestamp: i } as never);
    const all = new TranscriptFile(path, 'sid', dir).load().filter((e) => e.type === 'message');

    const fresh = new TranscriptFile(path, 'sid', dir);
    const tail = fresh.tail(8).filter((e) => e.type === 'message');
    expect(tail.map((e) => e.id)).toEqual(all.slice(-8).map((e) => e.id));
    expect(fresh.tail(1000).filter((e) => e.type === 'message')).toHaveLength(30);

    // A torn last line is cut off by the tail read, as a full read would cut it.
    const intact = readFileSync(path, 'utf8');
    appendFileSync(path, '{"type":"message","id":"torn","message":{"role":"user","content":[{"type":"te');
    expect(fresh.tail(2).map((e) => e.id)).toEqual(all.slice(-2).map((e) => e.id));
    expect(readFileSync(path, 'utf8')).toBe(intact);

    // An append to a file never loaded chains on from its last entry, with the right message number.
    const seqs: number[] = [];
    fresh.onMessageAppended = (_entry, seq) => seqs.push(seq);
    const appended = fresh.appendMessage({ role: 'user', content: [{ type: 'text', text: 'one more' }], timestamp: 99 } as never);
    expect(appended.parentId).toBe(all.at(-1)!.id);
    expect(seqs).toEqual([31]);
    const reread = new TranscriptFile(path, 'sid', dir).load();
    expect(reread.filter((e) => e.type === 'session')).toHaveLength(1);
    expect(reread.at(-1)!.id).toBe(appended.id);
  });

  it('readJsonlBackwards skips lines that are not records and stops when told', () => {
    const dir = tempDir();
    const path = join(dir, 'mixed.jsonl');
    writeFileSync(path, '{"n":1}\nnot json\n\n{"n":2}\n[3]\n{"n":4}\n');
    const seen: unknown[] = [];
    const report = readJsonlBackwards(
      path,
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      (v) => seen.push(v) < 10,
    );
    expect(seen).toEqual([{ n: 4 }, { n: 2 }, { n: 1 }]);
    expect(report).toEqual({ repairedBytes: 0, reachedStart: true });
    const firstOnly: unknown[] = [];
    expect(readJsonlBackwards(path, () => true, (v) => firstOnly.push(v) < 1).reachedStart).toBe(false);
    expect(firstOnly).toEqual([{ n: 4 }]);
  });
});
