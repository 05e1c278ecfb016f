// Which files an agent may upload into a page: existing files inside its workspace, its browser
// uploads folder or its downloads (symlinks resolved first, so a link cannot point elsewhere).
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** The real paths of `paths` (relative ones against the first root), or the reason one is refused. */
export async function resolveUploadPaths(paths: readonly string[], roots: readonly string[]): Promise<{ ok: true; paths: string[] } | { ok: false; reason: string }> {
  const realRoots: string[] = [];
  for (const root of roots) {
    try {
      realRoots.push(await realpath(root));
    } catch {
      // a root that does not exist holds nothing
    }
  }
  const out: string[] = [];
  for (const given of paths) {
    const absolute = isAbsolute(given) ? given : resolve(roots[0] ?? '.', given);
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      return { ok: false, reason: `upload file ${given} does not exist` };
    }
    if (!realRoots.some((root) => inside(root, real))) {
      return { ok: false, reason: `upload file ${given} is outside the agent's workspace and browser uploads/downloads folders (${roots.join(', ')}); copy it there first` };
    }
    if (!(await stat(real)).isFile()) return { ok: false, reason: `upload path ${given} is not a file` };
    out.push(real);
  }
  return { ok: true, paths: out };
}
