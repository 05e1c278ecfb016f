// Skill folders and archives for the skills tests, written as real files.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Writes `<root>/<folder>/SKILL.md` with this front matter and body. */
export function writeSkill(root: string, folder: string, front: Record<string, unknown>, body = `# ${folder}\n\nInstructions.\n`): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'SKILL.md'), `---\n${stringify(front)}---\n\n${body}`);
  return dir;
}

/** A .tar.gz made with the system tar from `files` (path → content; executable when the path has bin/). */
export function makeTarGz(workDir: string, name: string, files: Record<string, string>, tarArgs: readonly string[] = []): string {
  const src = join(workDir, `${name}-src`);
  for (const [path, content] of Object.entries(files)) {
    const abs = join(src, path);
    mkdirSync(join(abs, '..'), { recursive: true });
    writeFileSync(abs, content);
    if (path.includes('bin/')) chmodSync(abs, 0o755);
  }
  const out = join(workDir, `${name}.tar.gz`);
  execFileSync('tar', ['-C', src, '-czf', out, ...tarArgs, ...(tarArgs.length ? [] : Object.keys(files))]);
  return out;
}
