// Stored entries → the `GatewaySessionRow` shape of sessions.list, status and the session tools.
import type { SessionRow } from '../../contract/schemas/sessions.js';
import { sessionKind } from './session-key.js';
import type { StoredSessionEntry } from './session-store.js';

const ROW_FIELDS = [
  'label',
  'displayName',
  'derivedTitle',
  'lastMessagePreview',
  'channel',
  'chatType',
  'spawnedBy',
  'parentSessionKey',
  'thinkingLevel',
  'verboseLevel',
  'reasoningLevel',
  'modelProvider',
  'model',
] as const;
const COUNT_FIELDS = ['spawnDepth', 'startedAt', 'endedAt', 'runtimeMs', 'contextTokens', 'inputTokens', 'outputTokens', 'totalTokens', 'compactionCheckpointCount'] as const;

export function toSessionRow(key: string, entry: StoredSessionEntry, options: { lastMessage?: boolean; derivedTitle?: boolean } = {}): SessionRow {
  const row: Record<string, unknown> = {
    key,
    kind: sessionKind(key),
    updatedAt: typeof entry.updatedAt === 'number' && entry.updatedAt > 0 ? Math.floor(entry.updatedAt) : null,
    sessionId: entry.sessionId,
  };
  for (const field of ROW_FIELDS) {
    const value = entry[field];
    if (typeof value === 'string' && value) row[field] = value;
  }
  if (!options.lastMessage) delete row.lastMessagePreview;
  if (options.derivedTitle === false) delete row.derivedTitle;
  for (const field of COUNT_FIELDS) {
    const value = entry[field];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) row[field] = value;
  }
  if (typeof entry.estimatedCostUsd === 'number' && entry.estimatedCostUsd >= 0) row.estimatedCostUsd = entry.estimatedCostUsd;
  if (Array.isArray(entry.childSessions) && entry.childSessions.length) row.childSessions = entry.childSessions.filter((c) => typeof c === 'string');
  if (entry.status && ['running', 'done', 'failed', 'killed', 'timeout'].includes(entry.status)) row.status = entry.status;
  if (typeof entry.abortedLastRun === 'boolean') row.abortedLastRun = entry.abortedLastRun;
  if (typeof entry.fastMode === 'boolean') row.fastMode = entry.fastMode;
  if (entry.sendPolicy === 'allow' || entry.sendPolicy === 'deny') row.sendPolicy = entry.sendPolicy;
  return row as SessionRow;
}
