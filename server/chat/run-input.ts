// The user turn of a run in its two forms: transcript blocks to store, and model content to send.
// Images are passed on; text attachments are inlined; the decoded total is capped at 5 MB.
import { invalidParams } from '../core/gateway-error.js';
import type { UserContentPart } from '../providers/model-types.js';
import type { ImageBlock, TextBlock } from '../sessions/transcript-types.js';
import type { RunAttachment } from './run-types.js';

/** Advertised in hello-ok `policy.attachments` (both the total and any one image). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const MAX_INLINE_TEXT = 200_000;
const TEXTUAL = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-sh))/;

export interface UserTurn {
  readonly stored: (TextBlock | ImageBlock)[];
  readonly model: string | UserContentPart[];
  /** False when there is nothing to send (no text, no attachments). */
  readonly present: boolean;
}

export function buildUserTurn(message: string | readonly UserContentPart[], attachments: readonly RunAttachment[] = []): UserTurn {
  const stored: (TextBlock | ImageBlock)[] = [];
  const parts: UserContentPart[] = [];
  const addText = (text: string): void => {
    if (!text) return;
    stored.push({ type: 'text', text });
    parts.push({ type: 'text', text });
  };
  if (typeof message === 'string') addText(message);
  else {
    for (const part of message) {
      if (part.type === 'text') addText(part.text);
      else {
        stored.push({ type: 'image', url: part.url });
        parts.push(part);
      }
    }
  }
  let total = 0;
  for (const attachment of attachments) {
    if (!attachment.content) continue;
    const bytes = Buffer.from(attachment.content, 'base64');
    total += bytes.length;
    if (total > MAX_ATTACHMENT_BYTES) {
      throw invalidParams(`attachments exceed ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB in total; send smaller files`);
    }
    const mime = attachment.mimeType ?? (attachment.type === 'image' ? 'image/png' : 'application/octet-stream');
    const name = attachment.fileName ?? 'attachment';
    if (mime.startsWith('image/')) {
      const data = bytes.toString('base64');
      stored.push({ type: 'image', mimeType: mime, data });
      parts.push({ type: 'image', url: `data:${mime};base64,${data}` });
    } else if (TEXTUAL.test(mime)) {
      const text = bytes.toString('utf8');
      addText(`[Attachment ${name}]\n${text.length > MAX_INLINE_TEXT ? `${text.slice(0, MAX_INLINE_TEXT)}\n…(truncated)` : text}`);
    } else {
      addText(`[Attachment ${name} (${mime}, ${bytes.length} bytes) cannot be read by the model]`);
    }
  }
  const onlyText = parts.every((p) => p.type === 'text');
  return {
    stored,
    model: onlyText ? parts.map((p) => (p as { text: string }).text).join('\n\n') : parts,
    present: parts.length > 0,
  };
}
