// Turns a Responses API `input` (+ `instructions`) into instructions and model messages in order:
// messages, client tool calls (`function_call`) and their results (`function_call_output`).
// Files (loaded and checked beforehand by input-files.ts) join the instructions as untrusted content.
import type { z } from 'zod';
import type { ResponseCreateRequest, ResponseInputContentPart } from '../../contract/schemas/openai-http.js';
import type { ModelMessage, ModelToolCall } from '../providers/model-types.js';
import { userContent } from './conversation-turn.js';
import type { LoadedFiles } from './input-files.js';

type Part = z.output<typeof ResponseInputContentPart>;

export const MISSING_USER_INPUT = 'Missing user message in `input`.';

export interface ResponseInput {
  readonly instructions: string[];
  readonly messages: ModelMessage[];
}

export type ResponseInputResult = ({ readonly ok: true } & ResponseInput) | { readonly ok: false; readonly message: string };

class InputError extends Error {}

function imageUrlOf(part: Extract<Part, { type: 'input_image' }>): string | undefined {
  if (part.source?.type === 'url') return part.source.url;
  if (part.source?.type === 'base64') return `data:${part.source.media_type};base64,${part.source.data}`;
  return part.image_url;
}

function contentOf(content: string | Part[], loaded: LoadedFiles, files: string[]): { text: string; imageUrls: string[] } {
  if (typeof content === 'string') return { text: content, imageUrls: [] };
  const texts: string[] = [];
  const imageUrls: string[] = [];
  for (const part of content) {
    if (part.type === 'input_text' || part.type === 'output_text') texts.push(part.text);
    else if (part.type === 'refusal') texts.push(part.refusal);
    else if (part.type === 'input_image') {
      const url = imageUrlOf(part);
      if (url) imageUrls.push(url);
    } else {
      const text = loaded.get(part);
      if (text === undefined) throw new InputError('input_file: the file was not loaded.');
      files.push(text);
    }
  }
  return { text: texts.join('\n'), imageUrls };
}

/** Consecutive calls (and the assistant text just before them) form one assistant message. */
function pushToolCall(messages: ModelMessage[], call: ModelToolCall): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') messages[messages.length - 1] = { role: 'assistant', content: last.content, toolCalls: [...(last.toolCalls ?? []), call] };
  else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
}

/** `loaded`: every input_file part of `body.input`, as loadInputFiles returns them. */
export function responseInput(body: Pick<ResponseCreateRequest, 'input' | 'instructions'>, loaded: LoadedFiles = new Map()): ResponseInputResult {
  const instructions: string[] = body.instructions?.trim() ? [body.instructions] : [];
  if (typeof body.input === 'string') return { ok: true, instructions, messages: [{ role: 'user', content: body.input }] };
  const files: string[] = [];
  const messages: ModelMessage[] = [];
  try {
    for (const item of body.input) {
      if (!('type' in item) || item.type === undefined || item.type === 'message') {
        const message = item as { role: string; content: string | Part[] };
        const { text, imageUrls } = contentOf(message.content, loaded, files);
        if (message.role === 'system' || message.role === 'developer') instructions.push(text);
        else if (message.role === 'assistant') messages.push({ role: 'assistant', content: text });
        else messages.push({ role: 'user', content: userContent(text, imageUrls) });
      } else if (item.type === 'function_call') {
        const call = item as { id?: string; call_id?: string; name: string; arguments: string };
        pushToolCall(messages, { id: call.call_id ?? call.id ?? call.name, name: call.name, arguments: call.arguments });
      } else if (item.type === 'function_call_output') {
        const result = item as { call_id: string; output: string | Part[] };
        messages.push({ role: 'tool', toolCallId: result.call_id, content: contentOf(result.output, loaded, files).text });
      }
    }
  } catch (error) {
    if (error instanceof InputError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, instructions: [...instructions, ...files], messages };
}
