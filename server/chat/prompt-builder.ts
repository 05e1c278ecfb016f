// Builds the model's input for a turn: a system prompt from the agent's identity, workspace files,
// compaction summary and per-turn instructions, then the conversation (the session transcript
// since the last compaction, or the caller's prior turns), trimmed to a character budget.
import type { ModelMessage, ModelToolCall, UserContentPart } from '../providers/model-types.js';
import { isCompactionEntry, isMessageEntry, messageText, type StoredMessage, type TranscriptEntry } from '../sessions/transcript-types.js';

export interface PromptInput {
  readonly agentId: string;
  readonly agentName: string | undefined;
  readonly sessionKey: string;
  readonly workspaceFiles: readonly { name: string; content: string }[];
  /** Sections from subsystems (memory, skills), after the workspace files. */
  readonly sections?: readonly string[];
  readonly extraSystemPrompt?: string;
  /** Transcript entries (ignored when priorMessages is given). */
  readonly transcript: readonly TranscriptEntry[];
  readonly priorMessages?: readonly ModelMessage[];
  /** The new user turn, or undefined for a tool-result continuation. */
  readonly userContent: string | readonly UserContentPart[] | undefined;
  /** Characters of conversation to keep (≈ 3 per token of context). */
  readonly budgetChars: number;
  readonly now?: Date;
}

export function buildPrompt(input: PromptInput): ModelMessage[] {
  const system: string[] = [
    `You are ${input.agentName ?? input.agentId}, an AI agent served by the OpenClaw gateway (agent id "${input.agentId}", session "${input.sessionKey}").`,
    `Today is ${(input.now ?? new Date()).toISOString().slice(0, 10)} (UTC).`,
  ];
  if (input.workspaceFiles.length > 0) {
    system.push('# Workspace files');
    for (const file of input.workspaceFiles) system.push(`## ${file.name}\n${file.content}`);
  }
  if (input.sections) for (const section of input.sections) system.push(section);
  let history: ModelMessage[];
  if (input.priorMessages) {
    history = [];
    for (const message of input.priorMessages) {
      if (message.role === 'system') system.push(message.content);
      else history.push(message);
    }
  } else {
    const { summary, messages } = transcriptHistory(input.transcript);
    if (summary) system.push(`# Summary of the earlier conversation\n${summary}`);
    history = messages;
  }
  if (input.extraSystemPrompt) system.push(input.extraSystemPrompt);
  if (input.userContent !== undefined) history.push({ role: 'user', content: input.userContent });
  return [{ role: 'system', content: system.join('\n\n') }, ...sanitizeToolPairs(trimToBudget(history, input.budgetChars))];
}

/** Where the live part of a transcript starts (after the last compaction, from its first kept entry) and its summary. */
export function historyStart(entries: readonly TranscriptEntry[]): { summary: string | undefined; start: number } {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (isCompactionEntry(entry)) {
      const kept = entry.firstKeptEntryId ? entries.findIndex((e) => e.id === entry.firstKeptEntryId) : -1;
      return { summary: entry.summary, start: kept >= 0 && kept < i ? kept : i + 1 };
    }
  }
  return { summary: undefined, start: 0 };
}

/** Messages since the last compaction, converted to model messages. */
export function transcriptHistory(entries: readonly TranscriptEntry[]): { summary: string | undefined; messages: ModelMessage[] } {
  const { summary, start } = historyStart(entries);
  return { summary, messages: toModelMessages(entries.slice(start)) };
}

/** Entries never change once written, so each is converted once. */
const converted = new WeakMap<object, ModelMessage | null>();

export function toModelMessages(entries: readonly TranscriptEntry[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const entry of entries) {
    if (!isMessageEntry(entry)) continue;
    let message = converted.get(entry);
    if (message === undefined) {
      message = toModelMessage(entry.message) ?? null;
      converted.set(entry, message);
    }
    if (message) messages.push(message);
  }
  return messages;
}

function toModelMessage(message: StoredMessage): ModelMessage | undefined {
  switch (message.role) {
    case 'user': {
      const parts: UserContentPart[] = [];
      for (const block of message.content) {
        if (block.type === 'text') parts.push({ type: 'text', text: block.text });
        else if (block.type === 'image') {
          const url = block.url ?? (block.data ? `data:${block.mimeType ?? 'image/png'};base64,${block.data}` : undefined);
          if (url) parts.push({ type: 'image', url });
        }
      }
      if (parts.length === 0) return undefined;
      return parts.every((p) => p.type === 'text') ? { role: 'user', content: parts.map((p) => (p as { text: string }).text).join('\n') } : { role: 'user', content: parts };
    }
    case 'assistant': {
      const toolCalls: ModelToolCall[] = [];
      for (const block of message.content) {
        if (block.type === 'toolCall') {
          toolCalls.push({ id: block.id, name: block.name, arguments: typeof block.arguments === 'string' ? block.arguments : JSON.stringify(block.arguments ?? {}) });
        }
      }
      const text = messageText(message);
      if (!text && toolCalls.length === 0) return undefined;
      return toolCalls.length > 0 ? { role: 'assistant', content: text, toolCalls } : { role: 'assistant', content: text };
    }
    case 'toolResult':
      return { role: 'tool', toolCallId: message.toolCallId, name: message.toolName, content: messageText(message) };
    default:
      return undefined;
  }
}

/** Providers reject an assistant tool call without its result (and a result without its call). */
export function sanitizeToolPairs(messages: readonly ModelMessage[]): ModelMessage[] {
  const answered = new Set<string>();
  for (const m of messages) if (m.role === 'tool') answered.add(m.toolCallId);
  const called = new Set<string>();
  const out: ModelMessage[] = [];
  for (const m of messages) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const kept = m.toolCalls.filter((c) => answered.has(c.id));
      for (const c of kept) called.add(c.id);
      if (kept.length > 0) out.push({ role: 'assistant', content: m.content, toolCalls: kept });
      else if (m.content) out.push({ role: 'assistant', content: m.content });
    } else if (m.role === 'tool') {
      if (called.has(m.toolCallId)) out.push(m);
    } else {
      out.push(m);
    }
  }
  return out;
}

const sizeOf = (m: ModelMessage): number =>
  m.role === 'user' && typeof m.content !== 'string'
    ? m.content.reduce((n, p) => n + (p.type === 'text' ? p.text.length : 1000), 0)
    : typeof m.content === 'string'
      ? m.content.length + (m.role === 'assistant' ? (m.toolCalls ?? []).reduce((n, c) => n + c.arguments.length, 0) : 0)
      : 0;

/** Drops the oldest messages beyond the budget; the kept part starts at a user message. */
function trimToBudget(messages: ModelMessage[], budgetChars: number): ModelMessage[] {
  let total = 0;
  let start = messages.length;
  while (start > 0) {
    const size = sizeOf(messages[start - 1]!);
    if (total + size > budgetChars && start < messages.length) break;
    total += size;
    start--;
  }
  while (start < messages.length - 1 && messages[start]!.role !== 'user') start++;
  return start === 0 ? messages : messages.slice(start);
}
