// The `input_file` parts of a Responses request, loaded and checked before the run starts: inline
// files (base64 source, or file_data as a data: URL) are decoded; files given by URL (a url source,
// or file_url) are fetched under the endpoint's `files` policy. Each must be text of an allowed media
// type, within the byte and character limits; each becomes a block of untrusted content for the
// instructions. Errors name the config key that would let the file through.
import type { z } from 'zod';
import type { ResponseCreateRequest, ResponseInputContentPart } from '../../contract/schemas/openai-http.js';
import { parseDataUrl } from './data-url.js';
import type { FileLimits } from './openai-endpoint-settings.js';
import { fetchRemoteFile, RemoteFetchError, type RemoteFetchRefusal } from './remote-fetch.js';

type Part = z.output<typeof ResponseInputContentPart>;
export type FilePart = Extract<Part, { type: 'input_file' }>;

/** Each input_file part → its text, wrapped as untrusted content. */
export type LoadedFiles = ReadonlyMap<FilePart, string>;

export type FilesResult = { readonly ok: true; readonly files: LoadedFiles } | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

const KEY = 'gateway.http.endpoints.responses.files';
const CLOSING_TAG = /<\/untrusted_external_file/gi;

/** The `files` key that governs each kind of refused fetch. */
const REFUSAL_KEYS: Record<RemoteFetchRefusal, string | undefined> = {
  url: undefined,
  host: 'urlAllowlist',
  mime: 'allowedMimes',
  size: 'maxBytes',
  redirects: 'maxRedirects',
  timeout: 'timeoutMs',
  failed: undefined,
};

class FileProblem extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

/**
 * Every input_file part that responseInput reads: in message contents and function_call_output
 * outputs (both checked by the contract). Extra fields on other items are not looked at.
 */
export function inputFileParts(input: ResponseCreateRequest['input']): FilePart[] {
  const parts: FilePart[] = [];
  if (typeof input === 'string') return parts;
  for (const item of input) {
    let content: unknown;
    if (!('type' in item) || item.type === undefined || item.type === 'message') content = (item as { content: unknown }).content;
    else if (item.type === 'function_call_output') content = (item as { output: unknown }).output;
    if (!Array.isArray(content)) continue;
    for (const part of content as Part[]) if (part.type === 'input_file') parts.push(part);
  }
  return parts;
}

/** The URL a file part names, or undefined for an inline file. */
export function fileUrlOf(part: FilePart): string | undefined {
  if (part.source?.type === 'url') return part.source.url;
  if (part.source?.type === 'base64' || part.file_data !== undefined) return undefined;
  return part.file_url;
}

function inlineOf(part: FilePart, n: number): { mime: string; base64: string } {
  if (part.source?.type === 'base64') return { mime: part.source.media_type.toLowerCase(), base64: part.source.data };
  const url = part.file_data ?? '';
  const data = parseDataUrl(url);
  if (data.kind !== 'base64' || !data.mime) throw new FileProblem(`File ${n}: file_data must be a data: URL with base64 content (data:<media type>;base64,<data>).`);
  return { mime: data.mime, base64: url.slice(data.dataStart) };
}

function checkMime(mime: string, limits: FileLimits, n: number): void {
  if (limits.allowedMimes.includes(mime)) {
    if (mime === 'application/pdf') throw new FileProblem(`File ${n} is a PDF; this gateway reads text files only, so send the PDF's text as text/plain.`);
    return;
  }
  throw new FileProblem(`File ${n} has media type "${mime.slice(0, 100)}"; allowed are ${limits.allowedMimes.join(', ') || 'none'} (${KEY}.allowedMimes).`);
}

/** The bytes as text: in the declared charset when it is one the runtime knows, else UTF-8. */
function decode(bytes: Buffer, charset: string | undefined): string {
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // An unknown label: read it as UTF-8, like a file that declares nothing.
    }
  }
  return bytes.toString('utf8');
}

function wrap(part: FilePart, mime: string, bytes: Buffer, limits: FileLimits, n: number, charset?: string): string {
  const text = decode(bytes, charset);
  if (text.length > limits.maxChars) throw new FileProblem(`File ${n} has ${text.length} characters; at most ${limits.maxChars} per file (${KEY}.maxChars).`, 413);
  const name = (part.filename ?? `file-${n}`).replace(/[<>"&\r\n]/g, '_').slice(0, 200);
  // The file cannot close its own wrapper: a closing tag inside it is defused.
  const body = text.replace(CLOSING_TAG, '<\\/untrusted_external_file');
  return `<untrusted_external_file name="${name}" type="${mime}">\n${body}\n</untrusted_external_file>`;
}

async function loadOne(part: FilePart, n: number, limits: FileLimits, signal: AbortSignal): Promise<string> {
  const url = fileUrlOf(part);
  if (url === undefined) {
    const { mime, base64 } = inlineOf(part, n);
    checkMime(mime, limits, n);
    // The body limit bounds what is decoded here.
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.byteLength > limits.maxBytes) throw new FileProblem(`File ${n} is larger than ${limits.maxBytes} bytes (${KEY}.maxBytes).`, 413);
    return wrap(part, mime, bytes, limits, n);
  }
  if (!limits.allowUrl) throw new FileProblem(`File ${n} is given by URL, and file URLs are off here; send it inline as base64, or set ${KEY}.allowUrl to true.`);
  try {
    const fetched = await fetchRemoteFile(url, limits, signal);
    return wrap(part, fetched.mime, fetched.bytes, limits, n, fetched.charset);
  } catch (error) {
    if (!(error instanceof RemoteFetchError)) throw error;
    const key = REFUSAL_KEYS[error.refusal];
    throw new FileProblem(`File ${n} (${url.slice(0, 200)}) could not be used: ${error.message}${key ? ` (${KEY}.${key})` : ''}.`, error.refusal === 'size' ? 413 : 400);
  }
}

/**
 * Loads every input_file part. URL files are fetched together; the first failure cancels the
 * rest. `signal` is the client's request: its disconnect cancels the fetches too.
 */
export async function loadInputFiles(parts: readonly FilePart[], limits: FileLimits, signal: AbortSignal): Promise<FilesResult> {
  if (parts.length === 0) return { ok: true, files: new Map() };
  const cancel = new AbortController();
  const combined = AbortSignal.any([signal, cancel.signal]);
  try {
    const texts = await Promise.all(
      parts.map((part, i) =>
        loadOne(part, i + 1, limits, combined).catch((error: unknown) => {
          cancel.abort();
          throw error;
        }),
      ),
    );
    return { ok: true, files: new Map(parts.map((part, i) => [part, texts[i]!])) };
  } catch (error) {
    if (error instanceof FileProblem) return { ok: false, status: error.status, message: error.message };
    throw error;
  }
}
