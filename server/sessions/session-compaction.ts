// sessions.compact: keep the last N transcript lines, or have the model summarise everything but
// the last few messages into a `compaction` entry that later prompts start from.
import { copyFile } from 'node:fs/promises';
import { errorsFor } from '../../generated/server/method-errors.js';
import type { ResolvedModel } from '../models/model-catalog.js';
import { historyStart, toModelMessages, transcriptHistory } from '../chat/prompt-builder.js';
import type { ModelMessage } from '../providers/model-types.js';
import { ProviderError } from '../providers/provider-error.js';
import type { TranscriptFile } from './transcript-file.js';
import { isMessageEntry } from './transcript-types.js';

const KEEP_MESSAGES = 4;
const SUMMARY_INSTRUCTIONS =
  'Summarise the conversation below for your own later use: the facts learned, decisions made, and open tasks, with names and numbers kept exact. Be concise; write only the summary.';

export interface CompactOutcome {
  readonly compacted: boolean;
  readonly kept?: number;
  readonly archived?: string;
  readonly reason?: string;
  readonly result?: { summary: string; tokensBefore: number; tokensAfter: number };
}

const estimateTokens = (messages: readonly ModelMessage[]): number =>
  Math.ceil(messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length), 0) / 4);

/** The caller holds the session (no run appends meanwhile). */
export async function compactByLines(file: TranscriptFile, maxLines: number): Promise<CompactOutcome> {
  const entries = file.load();
  const header = entries[0]?.type === 'session' ? entries[0] : file.header();
  const lines = entries.filter((e) => e.type !== 'session');
  if (lines.length <= maxLines) return { compacted: false, kept: lines.length, reason: 'already within maxLines' };
  await file.flush();
  const archived = `${file.path}.compacted.${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await copyFile(file.path, archived);
  await file.rewrite([header, ...lines.slice(lines.length - maxLines)]);
  return { compacted: true, kept: maxLines, archived };
}

export async function compactBySummary(file: TranscriptFile, model: ResolvedModel, signal: AbortSignal): Promise<CompactOutcome> {
  const entries = file.load();
  const { summary: previous, start } = historyStart(entries);
  const live = entries.slice(start).filter(isMessageEntry);
  if (live.length <= KEEP_MESSAGES) return { compacted: false, reason: 'too few messages to compact' };
  // Keep the last few messages, starting at a user message so tool pairs stay whole.
  let keepFrom = live.length - KEEP_MESSAGES;
  while (keepFrom > 0 && live[keepFrom]!.message.role !== 'user') keepFrom--;
  if (keepFrom <= 0) return { compacted: false, reason: 'too few messages to compact' };
  const firstKept = live[keepFrom]!;
  const toSummarise = toModelMessages(live.slice(0, keepFrom));
  const tokensBefore = estimateTokens(toModelMessages(live)) + Math.ceil((previous?.length ?? 0) / 4);
  const request: ModelMessage[] = [
    { role: 'system', content: SUMMARY_INSTRUCTIONS },
    ...(previous ? [{ role: 'user' as const, content: `Summary of what came before:\n${previous}` }] : []),
    {
      role: 'user',
      content: toSummarise
        .map((m) => `${m.role}: ${m.role === 'user' && typeof m.content !== 'string' ? m.content.map((p) => (p.type === 'text' ? p.text : '[image]')).join(' ') : (m.content as string)}`)
        .join('\n\n'),
    },
  ];
  let summary = '';
  try {
    for await (const event of model.provider.stream({ model: model.modelId, messages: request, tools: [], signal, purpose: 'summary' })) {
      if (event.type === 'text') summary += event.text;
    }
  } catch (error) {
    if (error instanceof ProviderError) {
      throw errorsFor('sessions.compact').PROVIDER_ERROR({ errorKind: error.chatErrorKind }, `compaction failed: ${error.message}`);
    }
    throw error;
  }
  summary = summary.trim();
  if (!summary) return { compacted: false, reason: 'the model returned an empty summary' };
  file.appendCompaction(summary, firstKept.id, tokensBefore);
  const after = transcriptHistory(file.load());
  const tokensAfter = estimateTokens(after.messages) + Math.ceil(summary.length / 4);
  return { compacted: true, result: { summary, tokensBefore, tokensAfter } };
}
