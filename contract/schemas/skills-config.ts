// `skills` in openclaw.json (upstream names): where skills load from, install preferences, the
// bundled allowlist and per-skill entries (enabled, env, apiKey) that skills.update writes.
import { z } from 'zod';
import { SecretInput } from './secret-input.js';

export const SkillEntryConfig = z.looseObject({
  enabled: z.boolean().optional(),
  apiKey: SecretInput.optional(),
  env: z.record(z.string(), z.string()).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type SkillEntryConfig = z.infer<typeof SkillEntryConfig>;

export const SkillsConfig = z.looseObject({
  /** Bundled skills allowed to load; unset allows all. */
  allowBundled: z.array(z.string()).optional(),
  load: z
    .looseObject({
      /** More skill folders, after the bundled ones in precedence. */
      extraDirs: z.array(z.string().min(1)).optional(),
      watch: z.boolean().optional(),
      watchDebounceMs: z.number().int().min(0).max(600_000).optional(),
    })
    .optional(),
  install: z.looseObject({ preferBrew: z.boolean().optional(), nodeManager: z.enum(['npm', 'pnpm', 'yarn', 'bun']).optional() }).optional(),
  entries: z.record(z.string(), SkillEntryConfig).optional(),
});
