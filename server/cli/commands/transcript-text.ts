// The readable text of a transcript message (its text blocks; other blocks by their type).
import type { TranscriptMessage } from '../../../contract/schemas/common.js';

export function messageText(message: Pick<TranscriptMessage, 'content'> | undefined): string {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((block) => (typeof block.text === 'string' ? block.text : `[${block.type}]`)).join('\n');
}
