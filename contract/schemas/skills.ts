// Skills (docs/methods.md): folders with a SKILL.md whose front matter names requirements and installers.
import { z } from 'zod';
import { AgentId, TimeoutMs } from './common.js';

export const SkillRequirements = z.object({
  bins: z.array(z.string()),
  /** Satisfied when any one of these is on PATH. */
  anyBins: z.array(z.string()),
  env: z.array(z.string()),
  config: z.array(z.string()),
  os: z.array(z.string()),
});

export const SkillInstallOption = z.looseObject({
  id: z.string(),
  /** e.g. brew, node, go, uv, download. */
  kind: z.string(),
  label: z.string(),
  /** Binaries this installer provides. */
  bins: z.array(z.string()),
});

export const SkillStatus = z.object({
  name: z.string(),
  description: z.string(),
  source: z.string(),
  bundled: z.boolean(),
  filePath: z.string(),
  baseDir: z.string(),
  skillKey: z.string(),
  primaryEnv: z.string().optional(),
  emoji: z.string().optional(),
  homepage: z.string().optional(),
  always: z.boolean(),
  disabled: z.boolean(),
  blockedByAllowlist: z.boolean(),
  eligible: z.boolean(),
  requirements: SkillRequirements,
  missing: SkillRequirements,
  configChecks: z.array(z.object({ path: z.string(), satisfied: z.boolean() })),
  install: z.array(SkillInstallOption),
  /** The skill declares installers, even when none applies to this OS. */
  hasInstallSpecs: z.boolean().optional(),
});
export type SkillStatus = z.infer<typeof SkillStatus>;

export const SkillsStatusParams = z.strictObject({ agentId: AgentId.optional() });

export const SkillsStatusResult = z.object({
  workspaceDir: z.string(),
  managedSkillsDir: z.string(),
  skills: z.array(SkillStatus),
});

export const SkillsBinsParams = z.strictObject({});

/** Every binary the installed skills require, for a node host to check. */
export const SkillsBinsResult = z.object({ bins: z.array(z.string()) });

const Slug = z.string().min(1).max(256);
const InstallTimeoutMs = TimeoutMs.min(1000);

export const SkillsInstallParams = z.union([
  /** Run one of the skill's declared installers. */
  z.strictObject({
    name: z.string().min(1).max(256),
    installId: z.string().min(1).max(128),
    dangerouslyForceUnsafeInstall: z.boolean().optional(),
    timeoutMs: InstallTimeoutMs.optional(),
  }),
  z.strictObject({
    source: z.literal('clawhub'),
    slug: Slug,
    version: z.string().min(1).max(64).optional(),
    force: z.boolean().optional(),
    timeoutMs: InstallTimeoutMs.optional(),
  }),
]);

export const SkillsInstallResult = z.looseObject({
  ok: z.boolean(),
  message: z.string(),
  stdout: z.string(),
  stderr: z.string(),
  /** Installer exit code; null when it was killed or never started. */
  code: z.number().int().nullable(),
  /** Why it failed, for programs: UNSAFE_SKILL, TOOL_MISSING, DOWNLOAD_FAILED, HASH_MISMATCH, UNSAFE_ARCHIVE, EXIT_NONZERO, TIMEOUT, UNSUPPORTED. */
  reason: z.string().optional(),
  /** What the safety scan found (also when the install was forced through). */
  warnings: z.array(z.string()).optional(),
});
export type SkillsInstallResult = z.infer<typeof SkillsInstallResult>;

export const SkillsUpdateParams = z.union([
  /** Patches `skills.entries.<skillKey>` in the config. */
  z.strictObject({
    skillKey: z.string().min(1).max(256),
    enabled: z.boolean().optional(),
    apiKey: z.string().max(4096).optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), z.string().max(32_768)).optional(),
  }),
  z.strictObject({
    source: z.literal('clawhub'),
    slug: Slug.optional(),
    all: z.boolean().optional(),
  }),
]);

export const SkillsUpdateResult = z.union([
  z.object({
    ok: z.boolean(),
    skillKey: z.string(),
    /** The skill's config entry after the patch, secrets redacted. */
    config: z.record(z.string(), z.unknown()),
  }),
  z.looseObject({ ok: z.boolean(), message: z.string().optional() }),
]);

/** The set of skills (or their eligibility) changed: files, config or an install. */
export const SkillsChangedEvent = z.object({
  ts: z.number().int(),
  reason: z.enum(['files', 'config', 'install']),
  agentId: z.string(),
  skills: z.array(z.object({ name: z.string(), skillKey: z.string(), source: z.string(), eligible: z.boolean() })),
});
