// Hybrid ranking: vector similarity and keyword score weighted together (upstream's defaults 0.7 /
// 0.3), then optional time decay for dated notes, a minimum score and the limit.
import type { TextHit } from './keyword-search.js';
import type { VectorHit } from './vector-index.js';

export interface RankedHit {
  readonly id: number;
  readonly score: number;
}

export interface RankOptions {
  readonly vectorWeight: number;
  readonly textWeight: number;
  readonly minScore: number;
  readonly limit: number;
  /** Half-life for dated notes; undefined for no decay. */
  readonly decayHalfLifeDays: number | undefined;
  /** The date a chunk's note is about (epoch ms), or null for evergreen files. */
  noteMs(id: number): number | null;
  readonly now: number;
}

const DAY_MS = 86_400_000;

export function rankHits(text: readonly TextHit[], vector: readonly VectorHit[] | undefined, options: RankOptions): RankedHit[] {
  const scores = new Map<number, number>();
  if (vector === undefined) {
    for (const hit of text) scores.set(hit.id, hit.score);
  } else {
    for (const hit of vector) scores.set(hit.id, options.vectorWeight * Math.max(0, hit.score));
    for (const hit of text) scores.set(hit.id, (scores.get(hit.id) ?? 0) + options.textWeight * hit.score);
  }
  const out: RankedHit[] = [];
  for (const [id, raw] of scores) {
    let score = raw;
    if (options.decayHalfLifeDays !== undefined) {
      const noteMs = options.noteMs(id);
      if (noteMs !== null) score *= Math.pow(0.5, Math.max(0, options.now - noteMs) / DAY_MS / options.decayHalfLifeDays);
    }
    if (score >= options.minScore && score > 0) out.push({ id, score });
  }
  out.sort((a, b) => b.score - a.score || a.id - b.id);
  return out.slice(0, options.limit);
}
