// Turns a Responses API `input` (+ `instructions`) into instructions and model messages in order:
// messages, client tool calls (`function_call`) and their results (`function_call_output`).
// Inline text files join the instructions, wrapped as untrusted content.
import type { z } from 'zod';
import type { ResponseCreateRequest, ResponseInputContentPart } from '../../contract/schemas/openai-http.js';
import type { ModelMessage, ModelToolCall } from '../providers/model-types.js';
import { userContent } from './conversation-turn.js';

type Part = z.output<typeof ResponseInputContentPart>;

export const MISSING_USER_INPUT = 'Missing user message in `input`.';

export interface ResponseInput {
  readonly instructions: string[];
  readonly messages: ModelMessage[];
}

export type ResponseInputResult = ({ readonly ok: true } & ResponseInput) | { readonly ok: false; readonly message: string };

const TEXT_FILE_MIMES = new Set(['text/plain', 'text/markdown', 'text/html', 'text/csv', 'application/json']);
const MAX_FILE_BYTES = 5 * 1024 * 1024;

class InputError extends Error {}

/** A text file's content, wrapped so the model treats it as data, not instructions. */
function fileText(part: Extract<Part, { type: 'input_file' }>): string {
  let mime: string | undefined;
  let base64: string | undefined;
  if (part.source?.type === 'base64') {
    mime = part.source.media_type;
    base64 = part.source.data;
  } else if (part.file_data) {
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.file_data);
    if (match) [mime, base64] = [match[1], match[2]];
  }
  if (base64 === undefined || !mime) throw new InputError('input_file: send the file inline as base64 (source {type:"base64", media_type, data} or file_data as a data: URL); file URLs are not fetched.');
  if (!TEXT_FILE_MIMES.has(mime.toLowerCase())) throw new InputError(`input_file: ${mime} is not supported; use one of ${[...TEXT_FILE_MIMES].join(', ')}.`);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength > MAX_FILE_BYTES) throw new InputError(`input_file: larger than ${MAX_FILE_BYTES} bytes.`);
  const name = (part.filename ?? 'file').replace(/[<>"\n]/g, '_');
  return `<untrusted_external_file name="${name}" type="${mime}">\n${bytes.toString('utf8')}\n</untrusted_external_file>`;
}

function imageUrlOf(part: Extract<Part, { type: 'input_image' }>): string | undefined {
  if (part.source?.type === 'url') return part.source.url;
  if (part.source?.type === 'base64') return `data:${part.source.media_type};base64,${part.source.data}`;
  return part.image_url;
}

function contentOf(content: string | Part[], files: string[]): { text: string; imageUrls: string[] } {
  if (typeof content === 'string') return { text: content, imageUrls: [] };
  const texts: string[] = [];
  const imageUrls: string[] = [];
  for (const part of content) {
    if (part.type === 'input_text' || part.type === 'output_text') texts.push(part.text);
    else if (part.type === 'refusal') texts.push(part.refusal);
    else if (part.type === 'input_image') {
      const url = imageUrlOf(part);
      if (url) imageUrls.push(url);
    } else files.push(fileText(part));
  }
  return { text: texts.join('\n'), imageUrls };
}

/** Consecutive calls (and the assistant text just before them) form one assistant message. */
function pushToolCall(messages: ModelMessage[], call: ModelToolCall): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') messages[messages.length - 1] = { role: 'assistant', content: last.content, toolCalls: [...(last.toolCalls ?? []), call] };
  else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
}

export function responseInput(body: Pick<ResponseCreateRequest, 'input' | 'instructions'>): ResponseInputResult {
  const instructions: string[] = body.instructions?.trim() ? [body.instructions] : [];
  if (typeof body.input === 'string') return { ok: true, instructions, messages: [{ role: 'user', content: body.input }] };
  const files: string[] = [];
  const messages: ModelMessage[] = [];
  try {
    for (const item of body.input) {
      if (!('type' in item) || item.type === undefined || item.type === 'message') {
        const message = item as { role: string; content: string | Part[] };
        const { text, imageUrls } = contentOf(message.content, files);
        if (message.role === 'system' || message.role === 'developer') instructions.push(text);
        else if (message.role === 'assistant') messages.push({ role: 'assistant', content: text });
        else messages.push({ role: 'user', content: userContent(text, imageUrls) });
      } else if (item.type === 'function_call') {
        const call = item as { id?: string; call_id?: string; name: string; arguments: string };
        pushToolCall(messages, { id: call.call_id ?? call.id ?? call.name, name: call.name, arguments: call.arguments });
      } else if (item.type === 'function_call_output') {
        const result = item as { call_id: string; output: string | Part[] };
        messages.push({ role: 'tool', toolCallId: result.call_id, content: contentOf(result.output, files).text });
      }
    }
  } catch (error) {
    if (error instanceof InputError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, instructions: [...instructions, ...files], messages };
}
