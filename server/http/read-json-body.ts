import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { z } from 'zod';
import { validateUntrusted } from '../core/untrusted-input.js';
import { describeIssues } from '../core/zod-issues.js';
import { requestErrorResponse } from './http-errors.js';
import { headerOf, incomingOf } from './node-request.js';
import type { BodyResult } from './route-runtime.js';

export class BodyTooLargeError extends Error {}
export class BodyTimeoutError extends Error {}

/**
 * Reads a node request body, refusing more than `limit` bytes or a body still incomplete after
 * `timeoutMs` (a client trickling its body holds nothing for long); the rest is left unread.
 */
function readIncoming(incoming: IncomingMessage, limit: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // A client gone before the listeners are on ('aborted' and 'error' have fired already).
    if (incoming.destroyed || incoming.readableAborted) {
      reject(new Error('request body aborted'));
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => {
      cleanup();
      reject(new BodyTimeoutError());
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('aborted', onError);
      incoming.off('close', onError);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.byteLength;
      if (total > limit) {
        cleanup();
        reject(new BodyTooLargeError());
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (): void => {
      cleanup();
      reject(new Error('request body aborted'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('aborted', onError);
    // After 'end' the listeners are off, so a close here means the body never finished.
    incoming.on('close', onError);
  });
}

/**
 * A body node has fully parsed, drained from the stream's buffer. Reading the buffer empty lets the
 * stream end as usual (`end` on the next tick), so nothing is left for node to dump.
 */
function readBuffered(incoming: IncomingMessage, limit: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  for (let chunk = incoming.read() as Buffer | null; chunk !== null; chunk = incoming.read() as Buffer | null) {
    total += chunk.byteLength;
    if (total > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** Resolves in the event loop's check phase: after node has parsed every packet read in this turn. */
const afterParsing = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads the raw body, refusing more than `limit` bytes without buffering the excess. Under the node
 * adapter it reads the IncomingMessage directly, which skips building a web Request and stream.
 */
export async function readBodyText(c: Context, limit: number, timeoutMs: number): Promise<string> {
  const declared = Number(headerOf(c, 'content-length') ?? '0');
  if (declared > limit) throw new BodyTooLargeError();
  const incoming = incomingOf(c);
  if (incoming) {
    if (incoming.readableEnded) return '';
    // A fast path only. Routes run from node's headers callback, before the parser has reached the
    // body, and ticks and microtasks run between its callbacks; by the check phase it has parsed
    // the whole packet. Usually the body came in that packet with the headers, and it is then read
    // from the stream's buffer with no listeners. A body in later packets takes the listener path.
    if (!incoming.complete) await afterParsing();
    if (incoming.complete) return readBuffered(incoming, limit);
    return readIncoming(incoming, limit, timeoutMs);
  }
  const stream = c.req.raw.body;
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON body validated against a contract schema; on failure a 400/413 in the endpoint's error shape. */
export async function readJsonBody<S extends z.ZodType>(c: Context, endpoint: string, schema: S, limit: number, timeoutMs: number): Promise<BodyResult<z.output<S>>> {
  let text: string;
  try {
    text = await readBodyText(c, limit, timeoutMs);
  } catch (error) {
    if (error instanceof BodyTimeoutError) {
      const message = `Request body timeout: the body did not arrive within ${timeoutMs} ms (gateway.http.requestBodyTimeoutMs).`;
      return { ok: false, response: requestErrorResponse(endpoint, 408, 'request_timeout', message, { connection: 'close' }) };
    }
    if (error instanceof BodyTooLargeError) {
      // The rest of the upload is not read: closing the connection stops the client sending it.
      return { ok: false, response: requestErrorResponse(endpoint, 413, 'payload_too_large', `Payload too large (limit ${limit} bytes)`, { connection: 'close' }) };
    }
    return { ok: false, response: requestErrorResponse(endpoint, 400, 'invalid_request_error', 'Could not read the request body; send it again.') };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: requestErrorResponse(endpoint, 400, 'invalid_request_error', 'Malformed JSON in request body; send a JSON object.') };
  }
  const parsed = validateUntrusted(schema, value);
  if (!parsed.success) {
    return { ok: false, response: requestErrorResponse(endpoint, 400, 'invalid_request_error', `Invalid request: ${describeIssues(parsed.error)}`) };
  }
  return { ok: true, value: parsed.data };
}
