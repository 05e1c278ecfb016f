// Reads a SKILL.md: YAML front matter between `---` lines (parsed with `yaml`), with name,
// description and `metadata.openclaw` (requirements, installers), then the instructions.
import { parse } from 'yaml';
import { z } from 'zod';

const Names = z.array(z.string().min(1).max(256)).max(64);

export const InstallSpec = z.looseObject({
  id: z.string().min(1).max(128).optional(),
  kind: z.enum(['brew', 'node', 'go', 'uv', 'download']),
  label: z.string().max(256).optional(),
  bins: Names.optional(),
  os: Names.optional(),
  formula: z.string().min(1).max(256).optional(),
  package: z.string().min(1).max(256).optional(),
  module: z.string().min(1).max(512).optional(),
  url: z.string().min(1).max(4096).optional(),
  /** Hex SHA-256 of the download; a download without one is refused. */
  sha256: z.string().regex(/^[A-Fa-f0-9]{64}$/).optional(),
  archive: z.string().max(32).optional(),
  extract: z.boolean().optional(),
  stripComponents: z.number().int().min(0).max(16).optional(),
  targetDir: z.string().min(1).max(512).optional(),
});
export type InstallSpec = z.infer<typeof InstallSpec>;

export const SkillMetadata = z.looseObject({
  always: z.boolean().optional(),
  skillKey: z.string().min(1).max(256).optional(),
  primaryEnv: z.string().min(1).max(256).optional(),
  emoji: z.string().max(32).optional(),
  homepage: z.string().max(2048).optional(),
  os: Names.optional(),
  requires: z.looseObject({ bins: Names.optional(), anyBins: Names.optional(), env: Names.optional(), config: Names.optional() }).optional(),
  install: z.array(InstallSpec).max(32).optional(),
});
export type SkillMetadata = z.infer<typeof SkillMetadata>;

const FrontMatter = z.looseObject({
  name: z.string().min(1).max(256).optional(),
  description: z.string().max(4096).optional(),
  homepage: z.string().max(2048).optional(),
  metadata: z.looseObject({ openclaw: SkillMetadata.optional() }).optional(),
});

export interface ParsedSkill {
  readonly name: string;
  readonly description: string;
  readonly homepage: string | undefined;
  readonly metadata: SkillMetadata;
  readonly body: string;
}

/** The parsed file, or why it is not a usable SKILL.md. */
export function parseSkillFile(text: string, folderName: string): ParsedSkill | { error: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { error: 'no front matter (a SKILL.md starts with --- and YAML, then ---)' };
  let data: unknown;
  try {
    data = parse(match[1]!, { maxAliasCount: 20 });
  } catch (error) {
    return { error: `front matter is not YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const checked = FrontMatter.safeParse(data ?? {});
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return { error: `front matter: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const front = checked.data;
  return {
    name: front.name?.trim() || folderName,
    description: front.description?.trim() ?? '',
    homepage: front.homepage ?? front.metadata?.openclaw?.homepage,
    metadata: front.metadata?.openclaw ?? {},
    body: text.slice(match[0].length),
  };
}
