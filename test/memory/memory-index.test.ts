// The memory index over a generated workspace of 2,000 notes, with real SQLite: keyword search,
// edits, deletes and renames showing in the next search (with and without the watcher), scripts
// without spaces through the trigram index.
import { renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryIndex } from '../../server/memory/memory-index.js';
import { makeMemoryWorkspace, notePath, noteText, noteWord, openTestIndex } from './memory-workspace.js';

const NOTES = 2000;
const signal = new AbortController().signal;
let workspace: string;
let index: MemoryIndex;

beforeAll(async () => {
  workspace = makeMemoryWorkspace(NOTES);
  index = openTestIndex({ workspace, dbPath: join(workspace, '.index', 'main.sqlite'), settings: { sync: { watch: false } } });
  await index.sync('test');
}, 120_000);
afterAll(async () => {
  await index?.close();
  rmSync(workspace, { recursive: true, force: true });
});

const paths = async (query: string): Promise<string[]> => (await index.search(query, {}, signal)).results.map((r) => r.path);

describe('memory index', () => {
  it('indexes every note and finds one by its words, with the line range of the hit', async () => {
    const status = index.status();
    expect(status).toMatchObject({ files: NOTES + 1, dirty: false, mode: 'keyword', provider: 'fts', fts: { available: true, trigram: true } });
    expect(status.chunks).toBeGreaterThanOrEqual(NOTES + 1);
    expect(status.vector.available).toBe(true);

    const result = await index.search(noteWord(1234), {}, signal);
    expect(result.mode).toBe('keyword');
    expect(result.results).toHaveLength(1);
    const hit = result.results[0]!;
    expect(hit.path).toBe(notePath(1234));
    expect(hit.startLine).toBeLessThanOrEqual(3);
    expect(hit.endLine).toBeGreaterThanOrEqual(3);
    expect(hit.snippet).toContain(noteWord(1234));
    expect(hit.score).toBeGreaterThan(0);
    expect(await paths('tea coffee')).toEqual(['MEMORY.md']);
  });

  it('ranks a note naming more of the query words first and honours limit', async () => {
    const result = await index.search(`billing ${noteWord(41)}`, { limit: 3 }, signal);
    expect(result.results).toHaveLength(3);
    expect(result.results[0]!.path).toBe(notePath(41));
    expect(result.results[0]!.score).toBeGreaterThan(result.results[1]!.score);
  });

  it('shows an edit, a delete and a rename in the next search, with no watcher running', async () => {
    writeFileSync(join(workspace, notePath(10)), noteText(10).replace(noteWord(10), 'freshlyeditedword'));
    unlinkSync(join(workspace, notePath(11)));
    renameSync(join(workspace, notePath(12)), join(workspace, 'memory', 'renamed-note.md'));
    // No watcher: the status says the index is behind the files, never clean.
    expect(index.status()).toMatchObject({ watching: false, dirty: true });

    expect(await paths('freshlyeditedword')).toEqual([notePath(10)]);
    expect(await paths(noteWord(10))).toEqual([]);
    expect(await paths(noteWord(11))).toEqual([]);
    expect(await paths(noteWord(12))).toEqual(['memory/renamed-note.md']);
    expect(index.status()).toMatchObject({ files: NOTES, dirty: false });
  });

  it('finds text in scripts written without spaces (trigrams, and short runs)', async () => {
    writeFileSync(join(workspace, 'memory', 'trip.md'), '# 出張\n\n来週は大阪に出張します。会議は火曜日です。\n');
    expect(await paths('大阪に出張')).toEqual(['memory/trip.md']);
    expect(await paths('大阪')).toEqual(['memory/trip.md']);
    expect(await paths('火曜日の会議')).toContain('memory/trip.md');
  });

  it('keeps queries with FTS syntax from being read as syntax', async () => {
    for (const query of ['"unbalanced', 'NOT AND OR', 'col:value*', '(((', '^near']) {
      await expect(index.search(query, {}, signal)).resolves.toMatchObject({ mode: 'keyword' });
    }
  });
});

describe('memory watcher', () => {
  it('re-indexes changed files by itself when searches do not sync', async () => {
    const ws = makeMemoryWorkspace(20);
    const watched = openTestIndex({ workspace: ws, dbPath: join(ws, '.index', 'w.sqlite'), settings: { sync: { watch: true, watchDebounceMs: 50, onSearch: false } } });
    try {
      await watched.sync('test');
      await expect.poll(() => watched.status().watching).toBe(true);
      // chokidar needs its initial scan before it reports changes.
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(ws, 'memory', 'new-note.md'), 'watchersawthis\n');
      await expect.poll(async () => (await watched.search('watchersawthis', {}, signal)).results.map((r) => r.path), { timeout: 15_000 }).toEqual(['memory/new-note.md']);
    } finally {
      await watched.close();
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
