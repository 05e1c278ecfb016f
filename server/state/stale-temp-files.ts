// Start-up sweep for the temp files writeFileAtomic leaves when the process is killed between
// writing and renaming (`.<name>.<pid>.<8 hex>.tmp`): removed unless their writer is still alive.
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The name atomic-file.ts gives its temp files; group 1 is the writer's pid. */
export const ATOMIC_TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** Folders never walked into: not written by the gateway, and possibly huge. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 5;
const MAX_ENTRIES = 50_000;

export interface StaleTempSweep {
  readonly removed: string[];
  /** True when the entry budget ran out before every folder was read. */
  readonly truncated: boolean;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is not a writer we can rule out.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `name` is an atomic-write temp file whose writer is gone. */
export function isStaleTempName(name: string, alive: (pid: number) => boolean = processAlive): boolean {
  const match = ATOMIC_TEMP_NAME.exec(name);
  return match !== null && !alive(Number(match[1]));
}

/**
 * Removes stale atomic-write temp files under each root (walked `depth` levels deep, `0` for the
 * folder alone), bounded in entries read so start-up stays quick on a large state dir.
 */
export async function removeStaleTempFiles(roots: readonly { readonly dir: string; readonly depth: number }[]): Promise<StaleTempSweep> {
  const removed: string[] = [];
  let budget = MAX_ENTRIES;
  const seen = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (seen.has(dir) || budget <= 0) return;
    seen.add(dir);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // missing or unreadable: nothing of ours to clean
    }
    for (const entry of entries) {
      if (--budget < 0) return;
      const path = join(dir, entry.name);
      if (entry.isFile() && isStaleTempName(entry.name)) {
        try {
          // Only regular files we can see as such; a racing writer's rename makes unlink fail harmlessly.
          if ((await stat(path)).isFile()) {
            await unlink(path);
            removed.push(path);
          }
        } catch {
          // gone already
        }
      } else if (entry.isDirectory() && depth > 0 && !SKIPPED_DIRS.has(entry.name)) {
        await walk(path, depth - 1);
      }
    }
  };
  for (const root of roots) await walk(root.dir, Math.min(root.depth, MAX_DEPTH));
  return { removed, truncated: budget < 0 };
}
