// Splits a memory file into overlapping chunks of about `tokens` tokens along line boundaries, each
// with its 1-based line range and a content hash (unchanged chunks keep their embeddings).
import { createHash } from 'node:crypto';

export interface MemoryChunk {
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly hash: string;
}

export interface ChunkOptions {
  /** Target chunk size in tokens (upstream default 400). */
  readonly tokens: number;
  /** Tokens repeated from the end of one chunk at the start of the next (upstream default 80). */
  readonly overlap: number;
}

/** About four Latin characters per token; one per character for CJK and other wide scripts. */
export function estimateTokens(text: string): number {
  let narrow = 0;
  let wide = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x2e80) narrow++;
    else wide++;
  }
  return Math.ceil(narrow / 4) + wide;
}

export function chunkHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

interface Piece {
  readonly line: number;
  readonly text: string;
  readonly tokens: number;
}

/** Lines, with any line longer than a chunk cut into chunk-sized pieces of the same line number. */
function pieces(text: string, maxTokens: number): Piece[] {
  const out: Piece[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const tokens = estimateTokens(line);
    if (tokens <= maxTokens) {
      out.push({ line: i + 1, text: line, tokens });
      continue;
    }
    const step = Math.max(1, Math.floor((line.length * maxTokens) / tokens));
    for (let at = 0; at < line.length; at += step) {
      const part = line.slice(at, at + step);
      out.push({ line: i + 1, text: part, tokens: estimateTokens(part) });
    }
  }
  return out;
}

export function chunkMarkdown(text: string, options: ChunkOptions): MemoryChunk[] {
  const max = Math.max(16, options.tokens);
  const overlap = Math.min(Math.max(0, options.overlap), Math.floor(max / 2));
  const all = pieces(text, max);
  const chunks: MemoryChunk[] = [];
  let start = 0;
  while (start < all.length) {
    let end = start;
    let tokens = 0;
    while (end < all.length && (end === start || tokens + all[end]!.tokens + 1 <= max)) {
      tokens += all[end]!.tokens + 1;
      end++;
    }
    let last = end;
    while (last > start + 1 && all[last - 1]!.text.trim() === '') last--; // no trailing blank lines
    const body = all.slice(start, last);
    const chunkText = body.map((p) => p.text).join('\n');
    if (chunkText.trim()) chunks.push({ startLine: body[0]!.line, endLine: body[body.length - 1]!.line, text: chunkText, hash: chunkHash(chunkText) });
    if (end >= all.length) break;
    // Step back over the tail that fits in the overlap, but always move forward.
    let back = end;
    let kept = 0;
    while (back - 1 > start && kept + all[back - 1]!.tokens + 1 <= overlap) {
      back--;
      kept += all[back]!.tokens + 1;
    }
    start = back;
  }
  return chunks;
}
