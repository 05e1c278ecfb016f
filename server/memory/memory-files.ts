// The files memory is made of: MEMORY.md (or memory.md) and memory/*.md of an agent workspace,
// with the size and mtime the staleness check compares. Symlinks are skipped (they could point out).
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { MEMORY_FILE } from '../agents/workspace-files.js';

export interface MemoryFileStat {
  /** Workspace-relative, `/`-separated: `MEMORY.md`, `memory/2026-01-02.md`. */
  readonly path: string;
  readonly abs: string;
  readonly size: number;
  readonly mtimeMs: number;
}

const ROOT_FILES = ['MEMORY.md', 'memory.md'] as const;
/** Files larger than this are not indexed (a memory note is not a data dump). */
export const MAX_MEMORY_FILE_BYTES = 4_000_000;

export function isMemoryPath(path: string): boolean {
  return (ROOT_FILES as readonly string[]).includes(path) || MEMORY_FILE.test(path);
}

function lstatSafe(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch {
    return undefined;
  }
}

function fileStat(abs: string): Stats | undefined {
  try {
    const stat = lstatSync(abs);
    return stat.isFile() && stat.size <= MAX_MEMORY_FILE_BYTES ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** Every memory file of the workspace (or those of `only` that exist), sorted by path; a missing workspace has none. */
export function listMemoryFiles(workspace: string, only?: ReadonlySet<string>): MemoryFileStat[] {
  const out: MemoryFileStat[] = [];
  if (only) {
    for (const path of only) {
      if (!isMemoryPath(path)) continue;
      const abs = join(workspace, ...path.split('/'));
      const stat = path.includes('/') && lstatSafe(join(workspace, 'memory'))?.isSymbolicLink() ? undefined : fileStat(abs);
      if (stat) out.push({ path, abs, size: stat.size, mtimeMs: stat.mtimeMs });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  for (const name of ROOT_FILES) {
    const abs = join(workspace, name);
    const stat = fileStat(abs);
    if (stat) out.push({ path: name, abs, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  let names: string[] = [];
  try {
    const dir = join(workspace, 'memory');
    if (!lstatSync(dir).isSymbolicLink()) names = readdirSync(dir);
  } catch {
    // no memory folder
  }
  for (const name of names) {
    const path = `memory/${name}`;
    if (!MEMORY_FILE.test(path)) continue;
    const abs = join(workspace, 'memory', name);
    const stat = fileStat(abs);
    if (stat) out.push({ path, abs, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

/** The date a dated note is about (`memory/2026-01-02.md`, `memory/2026-01-02-standup.md`), as epoch ms; undefined for evergreen files. */
export function noteDateMs(path: string): number | undefined {
  const match = /^memory\/(\d{4})-(\d{2})-(\d{2})(?:[^/]*)\.md$/.exec(path);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isFinite(ms) ? ms : undefined;
}
