// The files of an agent workspace that agents.files.* may touch and the prompt includes: a fixed
// set of names plus memory/*.md. Anything else, or anything leaving the workspace, is refused.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { AGENT_WORKSPACE_FILES } from '../../contract/schemas/agents.js';
import { gatewayErrors } from '../core/error-constructors.js';
import { GatewayError } from '../core/gateway-error.js';

/** `memory/<name>.md`, one level deep. */
export const MEMORY_FILE = /^memory\/[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.md$/;
const MAX_FILE_BYTES = 2_000_000;

/** Files injected into the system prompt, in this order, when present. */
export const PROMPT_FILES = ['AGENTS.md', 'SOUL.md', 'IDENTITY.md', 'USER.md', 'TOOLS.md', 'HEARTBEAT.md', 'BOOTSTRAP.md', 'MEMORY.md', 'memory.md'] as const;

export function isAllowedWorkspaceFile(name: string): boolean {
  return (AGENT_WORKSPACE_FILES as readonly string[]).includes(name) || MEMORY_FILE.test(name);
}

/** The absolute path of an allowed file, or FILE_NOT_ALLOWED. Symlinks are refused (they could point outside). */
export function resolveWorkspaceFile(workspace: string, name: string): string {
  const refuse = (why: string): GatewayError =>
    gatewayErrors.FILE_NOT_ALLOWED(
      { name: name.slice(0, 200) },
      `file "${name.slice(0, 200)}" is not allowed: ${why}; allowed are ${AGENT_WORKSPACE_FILES.join(', ')} and memory/<name>.md`,
    );
  if (!isAllowedWorkspaceFile(name)) throw refuse('not a workspace file');
  const root = resolve(workspace);
  const path = resolve(root, name);
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(root, rel) !== path) throw refuse('it leaves the workspace');
  for (const candidate of [path, join(root, 'memory')]) {
    try {
      if (lstatSync(candidate).isSymbolicLink()) throw refuse('it is a symbolic link');
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      // missing is fine
    }
  }
  return path;
}

export interface WorkspaceFileInfo {
  readonly name: string;
  readonly path: string;
  readonly missing: boolean;
  readonly size?: number;
  readonly updatedAtMs?: number;
}

export function describeWorkspaceFile(workspace: string, name: string): WorkspaceFileInfo {
  const path = resolveWorkspaceFile(workspace, name);
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { name, path, missing: true };
    return { name, path, missing: false, size: stat.size, updatedAtMs: Math.floor(stat.mtimeMs) };
  } catch {
    return { name, path, missing: true };
  }
}

/** Every allowed name plus the memory/*.md files that exist. */
export function listWorkspaceFiles(workspace: string): WorkspaceFileInfo[] {
  const names: string[] = [...AGENT_WORKSPACE_FILES];
  try {
    for (const entry of readdirSync(join(workspace, 'memory'), { withFileTypes: true })) {
      const name = `memory/${entry.name}`;
      if (entry.isFile() && MEMORY_FILE.test(name)) names.push(name);
    }
  } catch {
    // no memory folder
  }
  return names.map((name) => describeWorkspaceFile(workspace, name));
}

/** The file's text; FILE_NOT_ALLOWED (naming `name`) when it is too large to answer. */
export function readWorkspaceFile(path: string, name: string): string {
  const stat = statSync(path);
  if (stat.size > MAX_FILE_BYTES) throw gatewayErrors.FILE_NOT_ALLOWED({ name: name.slice(0, 200) }, `file is larger than ${MAX_FILE_BYTES} bytes`);
  return readFileSync(path, 'utf8');
}

/**
 * Prompt files per workspace: re-checked (stat) at most once per second, re-read only when changed,
 * and invalidated at once when agents.files.set writes one — so a turn usually costs no I/O.
 */
export class WorkspaceContextCache {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; content: string }>();
  private readonly checked = new Map<string, { at: number; files: { name: string; content: string }[] }>();

  constructor(private readonly recheckMs = 1000) {}

  invalidate(): void {
    this.checked.clear();
  }

  read(workspace: string, maxCharsPerFile = 20_000): { name: string; content: string }[] {
    const now = performance.now();
    const hit = this.checked.get(workspace);
    if (hit && now - hit.at < this.recheckMs) return hit.files;
    const files = this.scan(workspace, maxCharsPerFile);
    this.checked.set(workspace, { at: now, files });
    return files;
  }

  private scan(workspace: string, maxCharsPerFile: number): { name: string; content: string }[] {
    const out: { name: string; content: string }[] = [];
    for (const name of PROMPT_FILES) {
      const path = join(workspace, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        this.cache.delete(path);
        continue;
      }
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
      let hit = this.cache.get(path);
      if (!hit || hit.mtimeMs !== stat.mtimeMs || hit.size !== stat.size) {
        try {
          hit = { mtimeMs: stat.mtimeMs, size: stat.size, content: readFileSync(path, 'utf8') };
        } catch {
          continue;
        }
        this.cache.set(path, hit);
      }
      const content = hit.content.trim();
      if (content) out.push({ name, content: content.length > maxCharsPerFile ? `${content.slice(0, maxCharsPerFile)}\n…(truncated)` : content });
    }
    return out;
  }
}
