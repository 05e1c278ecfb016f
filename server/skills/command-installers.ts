// The package-manager installers: node (npm into the skill's install folder, --ignore-scripts),
// go (GOBIN there), uv (tools there, no source builds) and brew. A manager that is not installed
// answers ok:false naming it; package install scripts never run.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import which from 'which';
import type { SkillsInstallResult } from '../../contract/schemas/skills.js';
import type { InstallSpec } from './skill-frontmatter.js';
import { runInstaller } from './install-process.js';

const fail = (reason: string, message: string): SkillsInstallResult => ({ ok: false, message, stdout: '', stderr: '', code: null, reason });

/** npm package specs and go modules as they appear in SKILL.md; anything starting with `-` could be read as a flag. */
const SAFE_PACKAGE = /^(?!-)[A-Za-z0-9@/._~:+=^<>-]{1,256}$/;

interface Plan {
  readonly tool: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

function plan(spec: InstallSpec, toolsDir: string): Plan | SkillsInstallResult {
  const bin = join(toolsDir, 'bin');
  switch (spec.kind) {
    case 'node':
      if (!spec.package || !SAFE_PACKAGE.test(spec.package)) return fail('UNSUPPORTED', 'this node installer names no valid package');
      return {
        tool: 'npm',
        args: ['install', '--prefix', toolsDir, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', spec.package],
        env: { npm_config_ignore_scripts: 'true', npm_config_update_notifier: 'false' },
      };
    case 'go':
      if (!spec.module || !SAFE_PACKAGE.test(spec.module)) return fail('UNSUPPORTED', 'this go installer names no valid module');
      return { tool: 'go', args: ['install', spec.module], env: { GOBIN: bin } };
    case 'uv':
      if (!spec.package || !SAFE_PACKAGE.test(spec.package)) return fail('UNSUPPORTED', 'this uv installer names no valid package');
      // --no-build: wheels only, so no package build code runs.
      return { tool: 'uv', args: ['tool', 'install', '--no-build', spec.package], env: { UV_TOOL_BIN_DIR: bin, UV_TOOL_DIR: join(toolsDir, 'uv-tools') } };
    case 'brew':
      if (!spec.formula || !SAFE_PACKAGE.test(spec.formula)) return fail('UNSUPPORTED', 'this brew installer names no valid formula');
      return { tool: 'brew', args: ['install', spec.formula], env: { HOMEBREW_NO_AUTO_UPDATE: '1' } };
    case 'download':
      return fail('UNSUPPORTED', 'download installers are not commands');
  }
}

const WHERE_TO_GET: Record<string, string> = {
  npm: 'install Node.js with npm',
  go: 'install Go (https://go.dev/dl)',
  uv: 'install uv (https://docs.astral.sh/uv)',
  brew: 'install Homebrew (https://brew.sh), or use another installer of this skill',
};

export async function installWithCommand(spec: InstallSpec, toolsDir: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal): Promise<SkillsInstallResult> {
  const p = plan(spec, toolsDir);
  if ('ok' in p) return p;
  const exe = which.sync(p.tool, { nothrow: true, path: env.PATH ?? '' });
  if (!exe) return fail('TOOL_MISSING', `${p.tool} is not installed on this machine: ${WHERE_TO_GET[p.tool]}`);
  mkdirSync(join(toolsDir, 'bin'), { recursive: true, mode: 0o755 });
  const outcome = await runInstaller([exe, ...p.args], { env: Object.assign({}, env, p.env), cwd: toolsDir, timeoutMs, signal });
  const stdout = outcome.stdout.trim();
  const stderr = outcome.stderr.trim();
  if (outcome.spawnError) return { ok: false, message: `${p.tool} could not be started: ${outcome.spawnError}`, stdout, stderr, code: null, reason: 'TOOL_MISSING' };
  if (outcome.timedOut) return { ok: false, message: `${p.tool} did not finish within ${timeoutMs} ms (pass a larger timeoutMs)`, stdout, stderr, code: null, reason: 'TIMEOUT' };
  if (signal.aborted) return { ok: false, message: 'the install was cancelled', stdout, stderr, code: outcome.code, reason: 'CANCELLED' };
  if (outcome.code !== 0) {
    const summary = (stderr || stdout).split('\n').find((l) => /\berr(or)?!?\b/i.test(l)) ?? (stderr || stdout).split('\n').at(-1) ?? '';
    return { ok: false, message: `Install failed (exit ${outcome.code})${summary ? `: ${summary.slice(0, 200)}` : ''}`, stdout, stderr, code: outcome.code, reason: 'EXIT_NONZERO' };
  }
  return { ok: true, message: `Installed with ${p.tool} into ${toolsDir}`, stdout, stderr, code: 0 };
}
