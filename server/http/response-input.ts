// Turns a Responses API `input` (+ `instructions`) into what an agent run takes: instructions,
// earlier turns, the current user message, images, and results of client-side tool calls.
import type { z } from 'zod';
import type { ResponseCreateRequest, ResponseInputContentPart } from '../../contract/schemas/openai-http.js';
import type { InputImage, PriorTurn } from './chat-completion-input.js';

type Part = z.output<typeof ResponseInputContentPart>;

export interface ToolOutput {
  readonly callId: string;
  readonly output: string;
}

export interface ResponseTurnInput {
  readonly instructions: string | undefined;
  readonly priorTurns: PriorTurn[];
  /** Empty when the request only carries tool outputs. */
  readonly message: string;
  readonly images: InputImage[];
  readonly toolOutputs: ToolOutput[];
}

export type ResponseInputResult = { readonly ok: true; readonly input: ResponseTurnInput } | { readonly ok: false; readonly message: string };

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

function imageOf(part: Extract<Part, { type: 'input_image' }>): InputImage | undefined {
  if (part.source?.type === 'url') return { url: part.source.url };
  if (part.source?.type === 'base64') return { url: `data:${part.source.media_type};base64,${part.source.data}` };
  return part.image_url ? { url: part.image_url } : undefined;
}

function contentOf(content: string | Part[], files: string[]): { text: string; images: InputImage[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  const texts: string[] = [];
  const images: InputImage[] = [];
  for (const part of content) {
    if (part.type === 'input_text' || part.type === 'output_text') texts.push(part.text);
    else if (part.type === 'refusal') texts.push(part.refusal);
    else if (part.type === 'input_image') {
      const image = imageOf(part);
      if (image) images.push(image);
    } else files.push(fileText(part));
  }
  return { text: texts.join('\n'), images };
}

/** The last user message is answered; earlier messages and calls are carried as prior turns. */
export function responseInput(body: Pick<ResponseCreateRequest, 'input' | 'instructions'>): ResponseInputResult {
  const instructions: string[] = body.instructions?.trim() ? [body.instructions.trim()] : [];
  if (typeof body.input === 'string') {
    if (!body.input.trim()) return { ok: false, message: 'Missing user message in `input`.' };
    return { ok: true, input: { instructions: instructions[0], priorTurns: [], message: body.input, images: [], toolOutputs: [] } };
  }
  try {
    const files: string[] = [];
    const turns: (PriorTurn & { images: InputImage[] })[] = [];
    const toolOutputs: ToolOutput[] = [];
    for (const item of body.input) {
      if (!('type' in item) || item.type === undefined || item.type === 'message') {
        const message = item as { role: string; content: string | Part[] };
        const { text, images } = contentOf(message.content, files);
        if (message.role === 'system' || message.role === 'developer') {
          if (text.trim()) instructions.push(text.trim());
        } else turns.push({ role: message.role === 'assistant' ? 'assistant' : 'user', text, images });
      } else if (item.type === 'function_call') {
        const call = item as { name: string; arguments: string };
        turns.push({ role: 'assistant', text: `[called ${call.name}(${call.arguments})]`, images: [] });
      } else if (item.type === 'function_call_output') {
        const result = item as { call_id: string; output: string | Part[] };
        toolOutputs.push({ callId: result.call_id, output: contentOf(result.output, files).text });
      }
    }
    let current = -1;
    turns.forEach((turn, index) => {
      if (turn.role === 'user' && (turn.text.trim() || turn.images.length)) current = index;
    });
    if (current < 0 && toolOutputs.length === 0) return { ok: false, message: 'Missing user message in `input`.' };
    const answered = current >= 0 ? turns[current]! : undefined;
    const prior = (current >= 0 ? turns.slice(0, current) : turns).filter((t) => t.text.trim()).map(({ role, text }) => ({ role, text }));
    const extra = [...instructions, ...files];
    return {
      ok: true,
      input: {
        instructions: extra.length ? extra.join('\n\n') : undefined,
        priorTurns: prior,
        message: answered?.text ?? '',
        images: answered?.images ?? [],
        toolOutputs,
      },
    };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, message: error.message };
    throw error;
  }
}
