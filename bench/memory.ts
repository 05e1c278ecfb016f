// Memory index: memory_search p50 over about 10,000 chunks (keyword, and hybrid with a loopback
// embeddings server), re-indexing one changed file, and a full index of 2,000 notes. Baselines in
// the same run: the bare FTS5 query through better-sqlite3, and a sync with nothing changed.
// Run: node --import tsx bench/run-all.ts memory
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenClawConfig } from '../contract/schemas/config.js';
import { memoryEmbedder } from '../server/memory/memory-embedder.js';
import type { MemoryIndex } from '../server/memory/memory-index.js';
import { parseKeywordQuery } from '../server/memory/keyword-search.js';
import { sqliteDriver } from '../server/memory/sqlite-runtime.js';
import { startFakeOpenAi } from '../test/helpers/fake-openai-server.js';
import { makeMemoryWorkspace, notePath, noteText, noteWord, openTestIndex } from '../test/memory/memory-workspace.js';
import type { BenchResult } from './bench-result.js';
import { median, round } from './latency-stats.js';

const NOTES = 2000;
const SEARCHES = 300;
const EDITS = 30;
/** Smaller chunks so that 2,000 notes make about 10,000 of them. */
const SMALL_CHUNKS = { chunking: { tokens: 96, overlap: 8 } };
const signal = new AbortController().signal;

const queries = (i: number): string => [noteWord(i % NOTES), 'billing decision', `incident ${noteWord((i * 7) % NOTES)}`, 'roadmap hiring', 'tea'][i % 5]!;

async function timeSearches(index: MemoryIndex, count: number): Promise<number[]> {
  for (let i = 0; i < 20; i++) await index.search(queries(i), {}, signal);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await index.search(queries(i), {}, signal);
    samples.push(performance.now() - t);
  }
  return samples;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const workspace = makeMemoryWorkspace(NOTES);
  const upstream = await startFakeOpenAi();
  try {
    // Full index of 2,000 notes, default chunking, keyword only.
    let t = performance.now();
    const full = openTestIndex({ workspace, dbPath: join(workspace, '.bench', 'full.sqlite'), settings: { sync: { watch: false } } });
    await full.sync('bench');
    results.push({ name: `full index of ${NOTES} notes (${full.status().chunks} chunks)`, value: round(performance.now() - t, 0), unit: 'ms' });

    // Reindex of one changed file as the watcher asks for it, against a full sync that finds nothing to do.
    const idle: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      t = performance.now();
      await full.sync('bench');
      idle.push(performance.now() - t);
    }
    const edits: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      writeFileSync(join(workspace, notePath(i)), `${noteText(i)}\nEdited ${i} at ${Date.now()}.\n`);
      t = performance.now();
      await full.sync('bench', signal, new Set([notePath(i)]));
      edits.push(performance.now() - t);
    }
    const reindex = median(edits);
    results.push({ name: 'reindex one changed file (p50; baseline: full sync, nothing changed)', value: round(reindex), baseline: round(median(idle)), unit: 'ms', target: '≤ 50 ms', pass: reindex <= 50 });
    await full.close();

    // Keyword search over ~10,000 chunks, watcher on (each search checks the file names).
    const keyword = openTestIndex({ workspace, dbPath: join(workspace, '.bench', 'keyword.sqlite'), settings: Object.assign({ sync: { watch: true } }, SMALL_CHUNKS) });
    await keyword.sync('bench');
    const chunks = keyword.status().chunks;
    await new Promise((r) => setTimeout(r, 1500)); // the watcher's first scan
    const kw = median(await timeSearches(keyword, SEARCHES));
    const driver = sqliteDriver();
    if (!driver.ok) throw new Error(driver.error);
    const raw = new driver.Database(join(workspace, '.bench', 'keyword.sqlite'), { readonly: true });
    const stmt = raw.prepare('SELECT rowid, bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT 24');
    const rawSamples: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const match = parseKeywordQuery(queries(i)).words!;
      t = performance.now();
      stmt.all(match);
      rawSamples.push(performance.now() - t);
    }
    raw.close();
    results.push({ name: `memory_search keyword p50 (${chunks} chunks)`, value: round(kw), baseline: round(median(rawSamples)), unit: 'ms', target: '≤ 10 ms', pass: kw <= 10 });
    await keyword.close();

    // The same without a watcher: every search stats every file first.
    const unwatched = openTestIndex({ workspace, dbPath: join(workspace, '.bench', 'keyword.sqlite'), settings: Object.assign({ sync: { watch: false } }, SMALL_CHUNKS) });
    const nw = median(await timeSearches(unwatched, SEARCHES));
    results.push({ name: `memory_search keyword p50, no watcher (stat of ${NOTES + 1} files per search)`, value: round(nw), unit: 'ms' });
    await unwatched.close();

    // Hybrid: vectors from the loopback embeddings server, one embedding request per search.
    const config = {
      models: { providers: { fake: { baseUrl: upstream.baseUrl, models: [{ id: 'fake-model' }] } } },
      agents: { defaults: { memorySearch: { provider: 'fake', model: 'bench-embed', outputDimensionality: 64 } } },
    } as unknown as OpenClawConfig;
    const embedder = memoryEmbedder(config, process.env, 'main');
    const hybrid = openTestIndex({ workspace, dbPath: join(workspace, '.bench', 'hybrid.sqlite'), settings: Object.assign({ sync: { watch: true } }, SMALL_CHUNKS), embedder: () => embedder });
    t = performance.now();
    await hybrid.sync('bench');
    results.push({ name: `embed and index ${hybrid.status().chunks} chunks (loopback embeddings)`, value: round(performance.now() - t, 0), unit: 'ms' });
    await new Promise((r) => setTimeout(r, 1500));
    const hy = median(await timeSearches(hybrid, SEARCHES));
    results.push({ name: `memory_search hybrid p50 (${hybrid.status().vector.backend})`, value: round(hy), baseline: round(kw), unit: 'ms', target: '≤ 10 ms', pass: hy <= 10 });
    await hybrid.close();
  } finally {
    await upstream.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  return results;
}
