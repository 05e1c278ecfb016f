// Where a command may start: the agent's workspace (the default) or below it, or a directory
// listed in tools.exec.allowedCwds. Compared after following symlinks.
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isInside } from './exec-policy.js';

export type CwdResolution = { readonly ok: true; readonly cwd: string; readonly workspace: string } | { readonly ok: false; readonly reason: string; readonly configKey?: string };

export function resolveCwd(requested: string | undefined, workspace: string, allowed: readonly string[]): CwdResolution {
  mkdirSync(workspace, { recursive: true, mode: 0o700 });
  const workspaceReal = realpathSync(workspace);
  const target = requested === undefined ? workspaceReal : isAbsolute(requested) ? requested : resolve(workspaceReal, requested);
  let real: string;
  try {
    real = realpathSync(target);
    if (!statSync(real).isDirectory()) return { ok: false, reason: `cwd ${requested} is not a directory` };
  } catch {
    return { ok: false, reason: `cwd ${requested} does not exist` };
  }
  if (isInside(real, workspaceReal)) return { ok: true, cwd: real, workspace: workspaceReal };
  for (const root of allowed) {
    let rootReal: string;
    try {
      rootReal = realpathSync(root);
    } catch {
      continue;
    }
    if (isInside(real, rootReal)) return { ok: true, cwd: real, workspace: workspaceReal };
  }
  return {
    ok: false,
    reason: `cwd ${requested} is outside the agent's workspace (${workspaceReal}); add it to tools.exec.allowedCwds to allow it`,
    configKey: 'tools.exec.allowedCwds',
  };
}
