// The agent's memory tools: memory_search (ranked snippets with file, line range and score),
// memory_get (lines of one memory file) and memory_write (append to or replace a memory file,
// nothing else). Memory switched off for an agent denies them with the key to change.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { AgentDirectory } from '../agents/agent-directory.js';
import { resolveWorkspaceFile } from '../agents/workspace-files.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { ToolAuthorization } from '../tools/tool-types.js';
import { isMemoryPath, MAX_MEMORY_FILE_BYTES } from './memory-files.js';
import type { MemoryService } from './memory-service.js';

const MAX_GET_LINES = 2000;
const MAX_GET_CHARS = 40_000;
const MAX_WRITE_CHARS = 200_000;

const MemoryPath = z
  .string()
  .min(1)
  .max(256)
  .describe('MEMORY.md or memory/<name>.md (for example memory/2026-01-02.md)');

/** The file's absolute path; a path that is not a memory file is refused. */
function memoryFile(agents: AgentDirectory, agentId: string, path: string): string {
  const clean = path.replace(/^\.\//, '');
  if (!isMemoryPath(clean)) throw new Error(`"${path.slice(0, 100)}" is not a memory file: use MEMORY.md or memory/<name>.md`);
  return resolveWorkspaceFile(agents.workspaceOf(agentId), clean);
}

export function registerMemoryTools(registry: ToolRegistry, memory: MemoryService, agents: AgentDirectory): void {
  const allowed = (agentId: string): ToolAuthorization =>
    memory.settings(agentId).enabled
      ? { outcome: 'allow' }
      : { outcome: 'deny', reason: `memory search is off for agent "${agentId}"`, configKey: 'agents.defaults.memorySearch.enabled' };

  registry.register({
    name: 'memory_search',
    label: 'Search memory',
    group: 'memory',
    description:
      'Searches MEMORY.md and memory/*.md for prior work, decisions, preferences, people and todos. Returns ranked snippets with file path, line range and score; use memory_get to read more lines.',
    parameters: z.strictObject({
      query: z.string().min(1).max(2000).describe('What to look for.'),
      limit: z.number().int().min(1).max(50).optional().describe('How many snippets (default 6).'),
    }),
    authorize: (_args, ctx) => allowed(ctx.agentId),
    run: (args, ctx) => memory.search(ctx.agentId, args.query, args.limit === undefined ? {} : { limit: args.limit }, ctx.signal),
  });

  registry.register({
    name: 'memory_get',
    label: 'Read memory',
    group: 'memory',
    description: 'Reads lines of a memory file (MEMORY.md or memory/<name>.md), e.g. around a memory_search hit. A file that does not exist yet reads as empty.',
    parameters: z.strictObject({
      path: MemoryPath,
      from: z.number().int().min(1).optional().describe('First line, 1-based (default 1).'),
      lines: z.number().int().min(1).max(MAX_GET_LINES).optional().describe(`How many lines (default all, at most ${MAX_GET_LINES}).`),
    }),
    authorize: (_args, ctx) => allowed(ctx.agentId),
    run: (args, ctx) => {
      const abs = memoryFile(agents, ctx.agentId, args.path);
      if (!existsSync(abs)) return { path: args.path, text: '', from: 1, lines: 0, totalLines: 0 };
      const all = readFileSync(abs, 'utf8').split('\n');
      const from = Math.min(args.from ?? 1, all.length + 1);
      const slice = all.slice(from - 1, from - 1 + (args.lines ?? MAX_GET_LINES));
      let text = slice.join('\n');
      const truncated = text.length > MAX_GET_CHARS;
      if (truncated) text = text.slice(0, MAX_GET_CHARS);
      return { path: args.path, text, from, lines: slice.length, totalLines: all.length, ...(truncated ? { truncated: true } : {}) };
    },
  });

  registry.register({
    name: 'memory_write',
    label: 'Write memory',
    group: 'memory',
    dangerous: true,
    description: 'Writes to a memory file (MEMORY.md or memory/<name>.md): appends by default, or replaces it with mode "replace". Use it to remember decisions, preferences and facts.',
    parameters: z.strictObject({
      path: MemoryPath,
      content: z.string().max(MAX_WRITE_CHARS),
      mode: z.enum(['append', 'replace']).optional().describe('append (default) or replace.'),
    }),
    authorize: (_args, ctx) => allowed(ctx.agentId),
    run: async (args, ctx) => {
      const abs = memoryFile(agents, ctx.agentId, args.path);
      const before = args.mode !== 'replace' && existsSync(abs) ? readFileSync(abs, 'utf8') : '';
      const text = before && !before.endsWith('\n') ? `${before}\n${args.content}` : `${before}${args.content}`;
      if (Buffer.byteLength(text) > MAX_MEMORY_FILE_BYTES) throw new Error(`${args.path} would exceed ${MAX_MEMORY_FILE_BYTES} bytes; start a new memory/<name>.md file`);
      mkdirSync(dirname(abs), { recursive: true, mode: 0o700 });
      writeFileAtomic(abs, text, 0o600);
      await memory.index(ctx.agentId).sync('write', ctx.signal);
      return { ok: true, path: args.path, bytes: Buffer.byteLength(text) };
    },
  });
}
