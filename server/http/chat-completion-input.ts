// Turns an OpenAI `messages` array into what an agent run takes: extra instructions (system and
// developer messages), the earlier turns, and the current user message with its images.
import type { z } from 'zod';
import type { ChatCompletionMessage, ChatCompletionRequest } from '../../contract/schemas/openai-http.js';

type Message = z.output<typeof ChatCompletionMessage>;

export interface PriorTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

export interface InputImage {
  /** An http(s) URL or a `data:` URL, as the client sent it. */
  readonly url: string;
}

export interface TurnInput {
  readonly instructions: string | undefined;
  readonly priorTurns: PriorTurn[];
  readonly message: string;
  readonly images: InputImage[];
}

export type TurnInputResult = { readonly ok: true; readonly input: TurnInput } | { readonly ok: false; readonly message: string };

export const MISSING_USER_MESSAGE = 'Missing user message in `messages`.';

function textOf(content: Message['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) if (part.type === 'text') texts.push(part.text);
  return texts.join('\n');
}

function imagesOf(content: Message['content']): InputImage[] {
  if (content == null || typeof content === 'string') return [];
  const images: InputImage[] = [];
  for (const part of content) if (part.type === 'image_url') images.push({ url: part.image_url.url });
  return images;
}

/** Tool results and tool-only assistant turns become readable text, as the agent has no client tools here. */
function turnText(message: Message): string {
  const text = textOf(message.content);
  if (message.role === 'tool' || message.role === 'function') {
    const label = message.name ?? message.tool_call_id ?? 'tool';
    return `[${label} result]\n${text}`;
  }
  if (message.role === 'assistant' && message.tool_calls?.length) {
    const calls = message.tool_calls.map((call) => `[called ${call.function.name}(${call.function.arguments})]`).join('\n');
    return text ? `${text}\n${calls}` : calls;
  }
  return text;
}

/**
 * The last user message is the one the agent answers; everything before it (user, assistant and
 * tool turns) is carried as prior turns. Assistant turns after it are stale and dropped.
 */
export function chatCompletionInput(messages: ChatCompletionRequest['messages']): TurnInputResult {
  const instructions: string[] = [];
  let current = -1;
  messages.forEach((m, index) => {
    if (m.role === 'user' && (textOf(m.content).trim() || imagesOf(m.content).length)) current = index;
  });
  if (current < 0) return { ok: false, message: MISSING_USER_MESSAGE };
  const priorTurns: PriorTurn[] = [];
  messages.forEach((m, index) => {
    if (m.role === 'system' || m.role === 'developer') {
      const text = textOf(m.content).trim();
      if (text) instructions.push(text);
      return;
    }
    if (index >= current) return;
    const text = turnText(m);
    if (text.trim()) priorTurns.push({ role: m.role === 'assistant' ? 'assistant' : 'user', text });
  });
  const last = messages[current]!;
  return {
    ok: true,
    input: {
      instructions: instructions.length ? instructions.join('\n\n') : undefined,
      priorTurns,
      message: textOf(last.content),
      images: imagesOf(last.content),
    },
  };
}
