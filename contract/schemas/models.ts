// models.list (docs/methods.md): the configured providers' models.
import { z } from 'zod';
import { Count } from './common.js';

export const ModelsListParams = z.strictObject({
  // v4 additions, accepted so newer clients work; the catalog here is always the configured one.
  view: z.string().max(64).optional(),
  preparedOnly: z.boolean().optional(),
  refresh: z.boolean().optional(),
});

export const ModelChoice = z.object({
  /** Model id as the provider knows it. */
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  alias: z.string().optional(),
  contextWindow: Count.optional(),
  reasoning: z.boolean().optional(),
});
export type ModelChoice = z.infer<typeof ModelChoice>;

export const ModelsListResult = z.object({ models: z.array(ModelChoice) });
