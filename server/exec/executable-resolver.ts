// Finds the file a command name runs, as the shell would: a name with a slash relative to the
// working directory, any other through PATH. Results are cached briefly (a PATH walk is a few
// stat calls per directory, repeated for every command of every pipeline).
import { realpathSync } from 'node:fs';
import { isExecutableFile } from '../system/executable-file.js';
import { isAbsolute, join, resolve } from 'node:path';
import { LRUCache } from 'lru-cache';

export interface ResolvedExecutable {
  /** Absolute path as found (symlinks not followed). */
  readonly path: string;
  /** The same with symlinks followed. */
  readonly realPath: string;
  /** Found through PATH (the name had no slash). */
  readonly viaPath: boolean;
}

const cache = new LRUCache<string, ResolvedExecutable | false>({ max: 2048, ttl: 2_000 });

const executableAt = isExecutableFile;

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function resolveExecutable(name: string, cwd: string, pathEnv: string): ResolvedExecutable | undefined {
  if (name === '') return undefined;
  const key = name.includes('/') ? `${cwd}\0${name}` : `${pathEnv}\0${pathEnv.split(':').some((d) => !isAbsolute(d)) ? cwd : ''}\0${name}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit || undefined;
  let found: ResolvedExecutable | undefined;
  if (name.includes('/')) {
    const path = resolve(cwd, name);
    if (executableAt(path)) found = { path, realPath: real(path), viaPath: false };
  } else {
    for (const dir of pathEnv.split(':')) {
      const path = resolve(cwd, join(dir || '.', name));
      if (executableAt(path)) {
        found = { path, realPath: real(path), viaPath: true };
        break;
      }
    }
  }
  cache.set(key, found ?? false);
  return found;
}

/** Forgets cached lookups (tests that create executables). */
export function clearExecutableCache(): void {
  cache.clear();
}
