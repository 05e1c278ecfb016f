// Turns an OpenAI Chat Completions `messages` array into an agent turn (see conversation-turn.ts).
import type { z } from 'zod';
import type { ChatCompletionMessage, ChatCompletionRequest } from '../../contract/schemas/openai-http.js';
import type { ModelMessage } from '../providers/model-types.js';
import { splitConversation, userContent, type ConversationTurnResult } from './conversation-turn.js';

type Message = z.output<typeof ChatCompletionMessage>;

export const MISSING_USER_MESSAGE = 'Missing user message in `messages`.';

function textOf(content: Message['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) if (part.type === 'text') texts.push(part.text);
  return texts.join('\n');
}

function imageUrlsOf(content: Message['content']): string[] {
  if (content == null || typeof content === 'string') return [];
  const urls: string[] = [];
  for (const part of content) if (part.type === 'image_url') urls.push(part.image_url.url);
  return urls;
}

function toModelMessage(m: Message): ModelMessage | undefined {
  switch (m.role) {
    case 'user':
      return { role: 'user', content: userContent(textOf(m.content), imageUrlsOf(m.content)) };
    case 'assistant':
      return m.tool_calls?.length
        ? { role: 'assistant', content: textOf(m.content), toolCalls: m.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) }
        : { role: 'assistant', content: textOf(m.content) };
    case 'tool':
    case 'function':
      return { role: 'tool', toolCallId: m.tool_call_id ?? m.name ?? 'tool', content: textOf(m.content), ...(m.name ? { name: m.name } : {}) };
    default:
      return undefined;
  }
}

export function chatCompletionInput(messages: ChatCompletionRequest['messages']): ConversationTurnResult {
  const instructions: string[] = [];
  const conversation: ModelMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') instructions.push(textOf(m.content));
    else {
      const converted = toModelMessage(m);
      if (converted) conversation.push(converted);
    }
  }
  return splitConversation(instructions, conversation, MISSING_USER_MESSAGE);
}
