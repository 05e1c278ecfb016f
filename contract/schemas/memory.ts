// Memory (METHODS.md "memory.status / memory.search"): the per-agent index over MEMORY.md and
// memory/*.md, and search as the memory_search tool does it.
import { z } from 'zod';
import { AgentId, Count } from './common.js';

export const MemoryVectorStatus = z.object({
  /** An embedding model is configured (agents.*.memorySearch.model), so searches are hybrid. */
  enabled: z.boolean(),
  /** Vectors can be stored and searched (sqlite-vec loaded, or the in-process cosine fallback). */
  available: z.boolean(),
  /** `sqlite-vec` when its extension loaded, `in-process` for the cosine fallback. */
  backend: z.enum(['sqlite-vec', 'in-process']).optional(),
  /** `vec_version()` of the loaded sqlite-vec extension. */
  extensionVersion: z.string().optional(),
  dims: z.number().int().min(1).optional(),
  /** Why sqlite-vec is not used, or why the last embedding call failed. */
  error: z.string().optional(),
});

export const MemoryIndexStatus = z.object({
  agentId: z.string(),
  workspace: z.string(),
  dbPath: z.string(),
  files: Count,
  chunks: Count,
  lastIndexedAt: z.number().int().nullable(),
  /** Files changed since the last index (size, mtime or content differ, or a file came or went). */
  dirty: z.boolean(),
  indexing: z.boolean(),
  /** A file watcher follows the memory files. */
  watching: z.boolean(),
  mode: z.enum(['keyword', 'hybrid']),
  /** `fts` (keyword only) or the embedding endpoint's label. */
  provider: z.string(),
  model: z.string().optional(),
  fts: z.object({ available: z.boolean(), trigram: z.boolean() }),
  vector: MemoryVectorStatus,
  lastError: z.string().optional(),
});
export type MemoryIndexStatus = z.infer<typeof MemoryIndexStatus>;

export const MemoryStatusParams = z.strictObject({ agentId: AgentId.optional() });
export const MemoryStatusResult = z.object({ agents: z.array(MemoryIndexStatus) });

export const MemorySearchParams = z.strictObject({
  query: z.string().min(1).max(2000),
  agentId: AgentId.optional(),
  limit: z.number().int().min(1).max(50).optional(),
  minScore: z.number().min(0).max(1).optional(),
});

export const MemorySearchHit = z.object({
  /** Workspace-relative: `MEMORY.md` or `memory/<name>.md`. */
  path: z.string(),
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
  score: z.number(),
  snippet: z.string(),
  source: z.literal('memory'),
});
export type MemorySearchHit = z.infer<typeof MemorySearchHit>;

export const MemorySearchResult = z.object({
  agentId: z.string(),
  mode: z.enum(['keyword', 'hybrid']),
  provider: z.string(),
  model: z.string().optional(),
  results: z.array(MemorySearchHit),
  /** Set when hybrid search was configured but this search fell back to keywords, and why. */
  fallback: z.string().optional(),
});
export type MemorySearchResult = z.infer<typeof MemorySearchResult>;

/** The memory part of `health`. */
export const MemoryHealth = z.object({ agents: z.array(MemoryIndexStatus) });
