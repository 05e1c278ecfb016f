// Keyword search over the chunk FTS5 indexes: words (unicode61, BM25) for scripts written with
// spaces; trigrams of each run of Han, kana, Hangul, Thai… characters for scripts without them, and
// a LIKE scan for runs too short for trigrams. Scores are BM25 mapped onto 0..1.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from './sqlite-runtime.js';

export interface TextHit {
  readonly id: number;
  /** 0..1, higher is better. */
  readonly score: number;
}

const WORD = /[\p{L}\p{N}_]+/gu;
const WIDE_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+/gu;
const MAX_TERMS = 64;
/** A substring hit without BM25 (a run of one or two characters). */
const LIKE_SCORE = 0.3;

export interface KeywordQuery {
  /** FTS5 MATCH expression for the word index, or undefined. */
  readonly words: string | undefined;
  /** FTS5 MATCH expression for the trigram index, or undefined. */
  readonly trigrams: string | undefined;
  /** Runs of one or two wide characters, matched with LIKE. */
  readonly shortRuns: readonly string[];
}

const quote = (term: string): string => `"${term.replace(/"/g, '""')}"`;

export function parseKeywordQuery(query: string): KeywordQuery {
  const wideRuns = query.match(WIDE_RUN) ?? [];
  const narrow = query.replace(WIDE_RUN, ' ');
  const words = [...new Set((narrow.match(WORD) ?? []).map((w) => w.toLowerCase()))].slice(0, MAX_TERMS);
  const trigrams = new Set<string>();
  const shortRuns: string[] = [];
  for (const run of wideRuns) {
    const chars = [...run];
    if (chars.length < 3) shortRuns.push(run);
    for (let i = 0; i + 3 <= chars.length && trigrams.size < MAX_TERMS; i++) trigrams.add(chars.slice(i, i + 3).join(''));
  }
  return {
    words: words.length ? words.map((w) => (w.length >= 4 ? `${quote(w)}*` : quote(w))).join(' OR ') : undefined,
    trigrams: trigrams.size ? [...trigrams].map(quote).join(' OR ') : undefined,
    shortRuns: shortRuns.slice(0, 8),
  };
}

const fromRank = (rank: number): number => {
  const s = Math.max(0, -rank);
  return s / (1 + s);
};

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

export class KeywordSearcher {
  private readonly words: Statement;
  private readonly trigrams: Statement;
  private readonly like: Statement;

  constructor(db: SqliteDatabase) {
    this.words = db.prepare('SELECT rowid AS id, bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?');
    this.trigrams = db.prepare('SELECT rowid AS id, bm25(chunks_tri) AS rank FROM chunks_tri WHERE chunks_tri MATCH ? ORDER BY rank LIMIT ?');
    this.like = db.prepare("SELECT id FROM chunks WHERE text LIKE ? ESCAPE '\\' LIMIT ?");
  }

  search(query: string, k: number): TextHit[] {
    const parsed = parseKeywordQuery(query);
    const best = new Map<number, number>();
    const add = (id: number, score: number): void => {
      if (score > (best.get(id) ?? -1)) best.set(id, score);
    };
    if (parsed.words) for (const row of this.words.all(parsed.words, k) as { id: number; rank: number }[]) add(row.id, fromRank(row.rank));
    if (parsed.trigrams) for (const row of this.trigrams.all(parsed.trigrams, k) as { id: number; rank: number }[]) add(row.id, fromRank(row.rank));
    for (const run of parsed.shortRuns) {
      for (const row of this.like.all(`%${run.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, k) as { id: number }[]) add(row.id, LIKE_SCORE);
    }
    return [...best].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score).slice(0, k);
  }
}
