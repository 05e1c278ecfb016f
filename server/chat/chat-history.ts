// chat.history: a session's transcript messages, newest last, bounded by count and size, with
// oversized rows and inline image data replaced by placeholders.
import type { TranscriptMessage } from '../../contract/schemas/common.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { isMessageEntry, type TranscriptEntry } from '../sessions/transcript-types.js';

const MAX_TOTAL_CHARS = 6 * 1024 * 1024;
const MAX_INLINE_IMAGE_CHARS = 64 * 1024;

/** Characters one history message may take before it is replaced by a placeholder, unless configured. */
export const DEFAULT_CHAT_HISTORY_MAX_CHARS = 500_000;

/** `gateway.webchat.chatHistoryMaxChars`, or the default (chat.history without maxChars, and `session.message`). */
export function configuredHistoryMaxChars(config: OpenClawConfig): number {
  return config.gateway?.webchat?.chatHistoryMaxChars ?? DEFAULT_CHAT_HISTORY_MAX_CHARS;
}

/** `lastSeq`: the transcript position of the last message in `entries` when they are not the whole transcript. */
export function historyMessages(entries: readonly TranscriptEntry[], limit: number, maxChars: number, lastSeq?: number): TranscriptMessage[] {
  const picked: TranscriptMessage[] = [];
  let total = 0;
  // `__openclaw.seq` is the message's 1-based position among the transcript's messages, as upstream numbers them.
  let seq = lastSeq ?? 0;
  if (lastSeq === undefined) {
    for (const entry of entries) if (isMessageEntry(entry)) seq++;
  }
  for (let i = entries.length - 1; i >= 0 && picked.length < limit; i--) {
    const entry = entries[i]!;
    if (!isMessageEntry(entry)) continue;
    let message = displayMessage(entry.message as unknown as Record<string, unknown>, entry.id, seq--);
    let size = JSON.stringify(message).length;
    if (size > maxChars) {
      message = {
        role: message.role,
        content: [{ type: 'text', text: `[message omitted: ${size} characters exceed maxChars ${maxChars}]` }],
        __openclaw: message.__openclaw,
        ...(message.timestamp ? { timestamp: message.timestamp } : {}),
      };
      size = 200;
    }
    if (total + size > MAX_TOTAL_CHARS) break;
    total += size;
    picked.push(message);
  }
  return picked.reverse();
}

function displayMessage(message: Record<string, unknown>, id: string, seq: number): TranscriptMessage {
  const content = Array.isArray(message.content)
    ? (message.content as Record<string, unknown>[]).map((block) =>
        block.type === 'image' && typeof block.data === 'string' && block.data.length > MAX_INLINE_IMAGE_CHARS
          ? { type: 'image', mimeType: block.mimeType, omitted: true, bytes: Math.floor((block.data.length * 3) / 4) }
          : block,
      )
    : message.content;
  // Copy, then set: `content` and `id` replace the stored message's own (keeping their position).
  const display: Record<string, unknown> = { ...message };
  display.content = content;
  display.id = id;
  // Where upstream clients look for a message's identity.
  display.__openclaw = { id, seq };
  return display as unknown as TranscriptMessage;
}
