// Keys of `agents.defaults.memorySearch` (and an agent's own) that shape the memory index, with
// upstream's names; the embedding keys (provider, model, remote) stay in config.ts.
import { z } from 'zod';

const PositiveInt = z.number().int().min(1);

export const MemoryIndexConfigShape = {
  /** Memory search and its tools (default true). */
  enabled: z.boolean().optional(),
  store: z
    .looseObject({
      /** Index file; default `<stateDir>/memory/<agentId>.sqlite`. */
      path: z.string().min(1).optional(),
      vector: z.looseObject({ enabled: z.boolean().optional(), extensionPath: z.string().min(1).optional() }).optional(),
    })
    .optional(),
  chunking: z.looseObject({ tokens: PositiveInt.max(8000).optional(), overlap: z.number().int().min(0).max(4000).optional() }).optional(),
  sync: z
    .looseObject({
      onSearch: z.boolean().optional(),
      watch: z.boolean().optional(),
      watchDebounceMs: z.number().int().min(0).max(600_000).optional(),
    })
    .optional(),
  query: z
    .looseObject({
      maxResults: PositiveInt.max(50).optional(),
      minScore: z.number().min(0).max(1).optional(),
      hybrid: z
        .looseObject({
          enabled: z.boolean().optional(),
          vectorWeight: z.number().min(0).max(1).optional(),
          textWeight: z.number().min(0).max(1).optional(),
          candidateMultiplier: PositiveInt.max(20).optional(),
          /** Older dated notes (`memory/YYYY-MM-DD*.md`) rank lower; undated files never decay. */
          temporalDecay: z.looseObject({ enabled: z.boolean().optional(), halfLifeDays: z.number().min(0.01).max(36_500).optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
};
