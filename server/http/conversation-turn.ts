// The split both OpenAI endpoints make: a client resends the whole conversation, so its messages
// become the run's prior messages, and the last user message (or trailing tool results) is the turn.
import type { ModelMessage, UserContentPart } from '../providers/model-types.js';

export interface ConversationTurn {
  /** System and developer messages, joined; added to the system prompt for this turn. */
  readonly instructions: string | undefined;
  readonly priorMessages: ModelMessage[];
  /** The user message to answer; `''` when the conversation ends with tool results to continue from. */
  readonly message: string | UserContentPart[];
}

export type ConversationTurnResult = { readonly ok: true; readonly turn: ConversationTurn } | { readonly ok: false; readonly message: string };

/** Plain text when there are no images, else text and image parts. */
export function userContent(text: string, imageUrls: readonly string[]): string | UserContentPart[] {
  if (imageUrls.length === 0) return text;
  return [...(text ? [{ type: 'text' as const, text }] : []), ...imageUrls.map((url) => ({ type: 'image' as const, url }))];
}

const hasContent = (m: ModelMessage): boolean =>
  typeof m.content === 'string' ? m.content.trim().length > 0 || (m.role === 'assistant' && !!m.toolCalls?.length) : m.content.length > 0;

/**
 * `messages` holds only user, assistant and tool messages, in order. Empty ones are dropped, and
 * so are assistant messages after the last user or tool message (nothing to answer after them).
 */
export function splitConversation(instructions: readonly string[], messages: readonly ModelMessage[], missingMessage: string): ConversationTurnResult {
  const kept = messages.filter((m) => m.role === 'tool' || hasContent(m));
  while (kept.length > 0 && kept[kept.length - 1]!.role === 'assistant') kept.pop();
  if (!kept.some((m) => m.role === 'user')) return { ok: false, message: missingMessage };
  const joined = instructions.map((s) => s.trim()).filter(Boolean).join('\n\n') || undefined;
  const last = kept[kept.length - 1]!;
  if (last.role === 'user') return { ok: true, turn: { instructions: joined, priorMessages: kept.slice(0, -1), message: toMutable(last.content) } };
  return { ok: true, turn: { instructions: joined, priorMessages: kept, message: '' } };
}

const toMutable = (content: string | readonly UserContentPart[]): string | UserContentPart[] => (typeof content === 'string' ? content : [...content]);
