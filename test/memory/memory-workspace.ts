// Generated memory workspaces for tests and the benchmark: notes with known, searchable words.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayLogger } from '../../server/logs/gateway-logger.js';
import { MemoryIndex, type EmbedderChoice } from '../../server/memory/memory-index.js';
import { memorySettings, type MemorySettings } from '../../server/memory/memory-settings.js';

const TOPICS = ['deploy', 'billing', 'onboarding', 'incident', 'roadmap', 'hiring', 'database', 'frontend', 'security', 'pricing'];
const FILLER =
  'The team met to review progress and agreed on next steps. Notes were taken and shared afterwards with everyone involved in the project. ';

/** The unique word of note `i` (searchable, never in another note). */
export const noteWord = (i: number): string => `zq${i.toString(36)}marker`;

/** Text of note i: a heading, a unique marker line, topic words and filler (about 1.5 KB). */
export function noteText(i: number): string {
  const topic = TOPICS[i % TOPICS.length]!;
  const lines = [`# Note ${i}: ${topic}`, '', `Decision ${i} about ${topic}: ${noteWord(i)} was chosen.`, ''];
  for (let p = 0; p < 8; p++) lines.push(`${FILLER}${topic} item ${p}.`);
  return `${lines.join('\n')}\n`;
}

/** A temp workspace with `count` notes in memory/ (named by date, spread over past days) and a MEMORY.md. */
export function makeMemoryWorkspace(count: number): string {
  const workspace = mkdtempSync(join(tmpdir(), 'openclaw-memory-'));
  mkdirSync(join(workspace, 'memory'), { recursive: true });
  writeFileSync(join(workspace, 'MEMORY.md'), '# Long-term memory\n\nThe user prefers tea over coffee.\n');
  for (let i = 0; i < count; i++) writeFileSync(join(workspace, 'memory', notePath(i).slice('memory/'.length)), noteText(i));
  return workspace;
}

/** `memory/<date>-<i>.md`: note i is dated i days before 2026-01-01. */
export function notePath(i: number): string {
  const date = new Date(Date.UTC(2026, 0, 1) - i * 86_400_000).toISOString().slice(0, 10);
  return `memory/${date}-n${i}.md`;
}

export const quietLogger: GatewayLogger = new Proxy({} as GatewayLogger, { get: () => () => undefined });

export function openTestIndex(options: {
  workspace: string;
  dbPath: string;
  settings?: Record<string, unknown>;
  embedder?: () => EmbedderChoice;
}): MemoryIndex {
  const settings: MemorySettings = memorySettings({ agents: { defaults: { memorySearch: options.settings ?? {} } } } as never, 'main');
  return new MemoryIndex({
    agentId: 'main',
    dbPath: options.dbPath,
    workspace: () => options.workspace,
    settings: () => settings,
    embedder: options.embedder ?? (() => undefined),
    logger: quietLogger,
  });
}
