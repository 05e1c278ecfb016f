// A skill as skills.status shows it (upstream's fields): where it came from, whether it is enabled,
// allowed and eligible, what it needs and lacks, and the installers that apply on this OS.
import type { SkillStatus } from '../../contract/schemas/skills.js';
import type { SkillsConfig } from '../../contract/schemas/skills-config.js';
import type { z } from 'zod';
import type { SkillEntry } from './skill-discovery.js';
import type { InstallSpec } from './skill-frontmatter.js';
import { evaluateRequirements, type RequirementContext } from './skill-requirements.js';

type SkillsConfigValue = z.infer<typeof SkillsConfig>;

/** The installer's id: its own, else `<kind>-<index>` as upstream. */
export function installId(spec: InstallSpec, index: number): string {
  return (spec.id ?? `${spec.kind}-${index}`).trim();
}

function installLabel(spec: InstallSpec): string {
  if (spec.label?.trim()) return spec.label.trim();
  switch (spec.kind) {
    case 'brew':
      return spec.formula ? `Install ${spec.formula} (brew)` : 'Run installer';
    case 'node':
      return spec.package ? `Install ${spec.package} (npm)` : 'Run installer';
    case 'go':
      return spec.module ? `Install ${spec.module} (go)` : 'Run installer';
    case 'uv':
      return spec.package ? `Install ${spec.package} (uv)` : 'Run installer';
    case 'download':
      return spec.url ? `Download ${spec.url.split('/').pop() || spec.url}` : 'Run installer';
  }
}

export function buildSkillStatus(entry: SkillEntry, skills: SkillsConfigValue | undefined, ctx: RequirementContext): SkillStatus {
  const entryConfig = skills?.entries?.[entry.skillKey];
  const disabled = entryConfig?.enabled === false;
  const bundled = entry.source === 'openclaw-bundled';
  const blockedByAllowlist = bundled && skills?.allowBundled !== undefined && !skills.allowBundled.includes(entry.name);
  const { requirements, missing, configChecks, satisfied } = evaluateRequirements(entry, ctx);
  const specs = entry.metadata.install ?? [];
  const osOk = (list: readonly string[] | undefined): boolean => !list || list.length === 0 || list.includes(ctx.platform);
  const install = osOk(entry.metadata.os)
    ? specs.flatMap((spec, index) => (osOk(spec.os) ? [{ id: installId(spec, index), kind: spec.kind, label: installLabel(spec), bins: spec.bins ?? [] }] : []))
    : [];
  const status: SkillStatus = {
    name: entry.name,
    description: entry.description,
    source: entry.source,
    bundled,
    filePath: entry.filePath,
    baseDir: entry.baseDir,
    skillKey: entry.skillKey,
    always: entry.metadata.always === true,
    disabled,
    blockedByAllowlist,
    eligible: !disabled && !blockedByAllowlist && satisfied,
    requirements,
    missing,
    configChecks,
    install,
    hasInstallSpecs: specs.length > 0,
  };
  if (entry.metadata.primaryEnv) status.primaryEnv = entry.metadata.primaryEnv;
  if (entry.metadata.emoji) status.emoji = entry.metadata.emoji;
  if (entry.homepage) status.homepage = entry.homepage;
  return status;
}
