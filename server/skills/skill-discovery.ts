// Finds skills: folders with a SKILL.md in the workspace's skills/, the managed dir in the state
// dir, the bundled dir and `skills.load.extraDirs`, in that precedence (a name found earlier wins).
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSkillFile, type SkillMetadata } from './skill-frontmatter.js';

export type SkillSource = 'openclaw-workspace' | 'openclaw-managed' | 'openclaw-bundled' | 'openclaw-extra';

export interface SkillRoot {
  readonly dir: string;
  readonly source: SkillSource;
}

export interface SkillEntry {
  readonly name: string;
  readonly description: string;
  readonly homepage: string | undefined;
  readonly source: SkillSource;
  readonly filePath: string;
  readonly baseDir: string;
  readonly skillKey: string;
  readonly metadata: SkillMetadata;
}

export interface Discovery {
  readonly skills: SkillEntry[];
  /** SKILL.md files that could not be used, and why. */
  readonly problems: { readonly filePath: string; readonly error: string }[];
}

const MAX_SKILLS_PER_ROOT = 500;
const MAX_SKILL_FILE_BYTES = 256 * 1024;

export function discoverSkills(roots: readonly SkillRoot[]): Discovery {
  const skills: SkillEntry[] = [];
  const problems: Discovery['problems'] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    let names: string[];
    try {
      names = readdirSync(root.dir).sort().slice(0, MAX_SKILLS_PER_ROOT);
    } catch {
      continue;
    }
    for (const folder of names) {
      if (folder.startsWith('.')) continue;
      const baseDir = join(root.dir, folder);
      const filePath = join(baseDir, 'SKILL.md');
      try {
        if (lstatSync(baseDir).isSymbolicLink() || !statSync(baseDir).isDirectory() || !existsSync(filePath)) continue;
        if (lstatSync(filePath).isSymbolicLink() || statSync(filePath).size > MAX_SKILL_FILE_BYTES) {
          problems.push({ filePath, error: `SKILL.md is a symbolic link or larger than ${MAX_SKILL_FILE_BYTES} bytes` });
          continue;
        }
      } catch {
        continue;
      }
      const parsed = parseSkillFile(readFileSync(filePath, 'utf8'), folder);
      if ('error' in parsed) {
        problems.push({ filePath, error: parsed.error });
        continue;
      }
      if (seen.has(parsed.name)) continue;
      seen.add(parsed.name);
      skills.push({
        name: parsed.name,
        description: parsed.description,
        homepage: parsed.homepage,
        source: root.source,
        filePath,
        baseDir,
        skillKey: parsed.metadata.skillKey ?? parsed.name,
        metadata: parsed.metadata,
      });
    }
  }
  return { skills, problems };
}

/** `OPENCLAW_BUNDLED_SKILLS_DIR`, else `skills/` beside the package.json above this module (source tree or dist bundle). */
export function bundledSkillsDir(env: NodeJS.ProcessEnv): string {
  if (env.OPENCLAW_BUNDLED_SKILLS_DIR) return resolve(env.OPENCLAW_BUNDLED_SKILLS_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'skills');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), 'skills');
}
