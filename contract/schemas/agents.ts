// Agents and their workspace files (docs/methods.md). `main` always exists and cannot be deleted.
import { z } from 'zod';
import { AgentId, Count, EpochMs, OkTrue } from './common.js';

/**
 * Files agents.files.* may touch, besides `memory/*.md`. Anything else, or any path leaving the
 * workspace, is refused with FILE_NOT_ALLOWED.
 */
export const AGENT_WORKSPACE_FILES = [
  'AGENTS.md',
  'SOUL.md',
  'TOOLS.md',
  'IDENTITY.md',
  'USER.md',
  'HEARTBEAT.md',
  'BOOTSTRAP.md',
  'MEMORY.md',
  'memory.md',
] as const;

const WorkspacePath = z.string().min(1).max(4096);
const ModelName = z.string().min(1).max(256);
const Emoji = z.string().min(1).max(32);
/** A URL, data URL or workspace-relative image path. */
const Avatar = z.string().min(1).max(100_000);

export const AgentModelSummary = z.object({
  primary: z.string().optional(),
  fallbacks: z.array(z.string()).optional(),
});

export const AgentSummary = z.object({
  id: z.string(),
  name: z.string().optional(),
  identity: z
    .object({
      name: z.string().optional(),
      theme: z.string().optional(),
      emoji: z.string().optional(),
      avatar: z.string().optional(),
      avatarUrl: z.string().optional(),
    })
    .optional(),
  workspace: z.string().optional(),
  model: AgentModelSummary.optional(),
});
export type AgentSummary = z.infer<typeof AgentSummary>;

export const AgentsListParams = z.strictObject({});

export const AgentsListResult = z.object({
  defaultId: z.string(),
  mainKey: z.string(),
  scope: z.enum(['per-sender', 'global']),
  agents: z.array(AgentSummary),
});

export const AgentsCreateParams = z.strictObject({
  /** Display name; the agent id is derived from it (lower-cased, `[a-z0-9_-]`, ≤ 64). */
  name: z.string().min(1).max(128),
  workspace: WorkspacePath,
  model: ModelName.optional(),
  emoji: Emoji.optional(),
  avatar: Avatar.optional(),
});

export const AgentsCreateResult = z.object({
  ok: OkTrue,
  agentId: z.string(),
  name: z.string(),
  workspace: z.string(),
  model: z.string().optional(),
});

export const AgentsUpdateParams = z.strictObject({
  agentId: AgentId,
  name: z.string().min(1).max(128).optional(),
  workspace: WorkspacePath.optional(),
  model: ModelName.optional(),
  emoji: Emoji.optional(),
  avatar: Avatar.optional(),
});

export const AgentsUpdateResult = z.object({ ok: OkTrue, agentId: z.string() });

export const AgentsDeleteParams = z.strictObject({
  agentId: AgentId,
  /** Also remove the workspace folder. */
  deleteFiles: z.boolean().optional(),
});

export const AgentsDeleteResult = z.object({
  ok: OkTrue,
  agentId: z.string(),
  /** Channel bindings that pointed at the agent and were dropped. */
  removedBindings: Count,
});

export const AgentsFileEntry = z.object({
  name: z.string(),
  path: z.string(),
  /** The file is allowed but does not exist yet. */
  missing: z.boolean(),
  size: Count.optional(),
  updatedAtMs: EpochMs.optional(),
  content: z.string().optional(),
});
export type AgentsFileEntry = z.infer<typeof AgentsFileEntry>;

/** Workspace-relative file name, e.g. `SOUL.md` or `memory/2026-01-02.md`. */
const FileName = z.string().min(1).max(255);

export const AgentsFilesListParams = z.strictObject({ agentId: AgentId });

export const AgentsFilesListResult = z.object({
  agentId: z.string(),
  workspace: z.string(),
  files: z.array(AgentsFileEntry),
});

export const AgentsFilesGetParams = z.strictObject({ agentId: AgentId, name: FileName });

export const AgentsFilesGetResult = z.object({
  agentId: z.string(),
  workspace: z.string(),
  file: AgentsFileEntry,
});

export const AgentsFilesSetParams = z.strictObject({
  agentId: AgentId,
  name: FileName,
  content: z.string().max(2_000_000),
});

export const AgentsFilesSetResult = z.object({
  ok: OkTrue,
  agentId: z.string(),
  workspace: z.string(),
  file: AgentsFileEntry,
});
