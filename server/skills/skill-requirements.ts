// Whether a skill can be used here: the binaries it needs on PATH (or in its install dir), the
// env variables (process env, or its skills.entries env / apiKey), config keys that must be truthy,
// and the OS. `missing` lists what is not there, for skills.status and the prompt.
import { join } from 'node:path';
import which from 'which';
import type { SkillStatus } from '../../contract/schemas/skills.js';
import type { SkillEntryConfig } from '../../contract/schemas/skills-config.js';
import type { SkillEntry } from './skill-discovery.js';

export type Requirements = SkillStatus['requirements'];

export interface RequirementContext {
  readonly env: NodeJS.ProcessEnv;
  readonly config: unknown;
  readonly entryConfig: SkillEntryConfig | undefined;
  /** Where installers put this skill's programs (checked besides PATH). */
  readonly toolsDir: string;
  readonly platform: string;
}

/** The program directories an install of this skill fills. */
export function toolBinDirs(toolsDir: string): string[] {
  return [join(toolsDir, 'bin'), join(toolsDir, 'node_modules', '.bin'), toolsDir];
}

export function hasBinary(bin: string, ctx: Pick<RequirementContext, 'env' | 'toolsDir'>): boolean {
  if (!/^[A-Za-z0-9._+-]{1,128}$/.test(bin)) return false;
  const path = [...toolBinDirs(ctx.toolsDir), ctx.env.PATH ?? ''].join(':');
  return which.sync(bin, { nothrow: true, path }) !== null;
}

function configValue(config: unknown, path: string): unknown {
  let cursor: unknown = config;
  for (const key of path.split('.')) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return cursor;
}

export function evaluateRequirements(entry: SkillEntry, ctx: RequirementContext): { requirements: Requirements; missing: Requirements; configChecks: SkillStatus['configChecks']; satisfied: boolean } {
  const req = entry.metadata.requires ?? {};
  const requirements: Requirements = { bins: req.bins ?? [], anyBins: req.anyBins ?? [], env: req.env ?? [], config: req.config ?? [], os: entry.metadata.os ?? [] };
  const envSet = (name: string): boolean =>
    Boolean(ctx.env[name] || ctx.entryConfig?.env?.[name] || (ctx.entryConfig?.apiKey && entry.metadata.primaryEnv === name));
  const configChecks = requirements.config.map((path) => ({ path, satisfied: Boolean(configValue(ctx.config, path)) }));
  const missing: Requirements = entry.metadata.always
    ? { bins: [], anyBins: [], env: [], config: [], os: [] }
    : {
        bins: requirements.bins.filter((bin) => !hasBinary(bin, ctx)),
        anyBins: requirements.anyBins.length === 0 || requirements.anyBins.some((bin) => hasBinary(bin, ctx)) ? [] : requirements.anyBins,
        env: requirements.env.filter((name) => !envSet(name)),
        config: configChecks.filter((c) => !c.satisfied).map((c) => c.path),
        os: requirements.os.length === 0 || requirements.os.includes(ctx.platform) ? [] : requirements.os,
      };
  const satisfied = Object.values(missing).every((list) => list.length === 0);
  return { requirements, missing, configChecks, satisfied };
}
