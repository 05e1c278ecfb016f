// The wire codec of docs/protocol.md "Frames": closed objects, checked by hand because this runs for
// every frame (a schema library costs several times more here); the contract's frame schemas are
// the reference the tests hold this against.
import type { ErrorShape } from '../../contract/schemas/errors.js';

export type InboundFrame =
  | { readonly kind: 'req'; readonly id: string; readonly method: string; readonly params: unknown; readonly traceparent: string | undefined }
  | { readonly kind: 'cancel'; readonly id: string }
  /** `notJson`: the text did not parse at all (before the handshake that closes 1000, not 1008). */
  | { readonly kind: 'invalid'; readonly replyId: string; readonly message: string; readonly notJson: boolean };

const MAX_ID_LENGTH = 512;
const REQ_KEYS = new Set(['type', 'id', 'method', 'params', 'traceparent']);
const CANCEL_KEYS = new Set(['type', 'id']);

const invalid = (replyId: string, message: string, notJson = false): InboundFrame => ({ kind: 'invalid', replyId, message, notJson });

function replyIdOf(frame: Record<string, unknown>): string {
  const id = frame.id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : 'invalid';
}

function unknownKey(frame: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
  for (const key in frame) if (!allowed.has(key)) return key;
  return undefined;
}

/** Parses one text frame; never throws. */
export function decodeFrame(text: string): InboundFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid('invalid', 'invalid request frame: not valid JSON', true);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('invalid', 'invalid request frame: a frame must be a JSON object');
  }
  const frame = value as Record<string, unknown>;
  const replyId = replyIdOf(frame);
  const { type, id } = frame;
  if (type === 'req') {
    if (typeof id !== 'string' || id.length === 0) return invalid(replyId, 'invalid request frame: id must be a non-empty string');
    if (id.length > MAX_ID_LENGTH) return invalid(replyId, `invalid request frame: id longer than ${MAX_ID_LENGTH} characters`);
    const method = frame.method;
    if (typeof method !== 'string' || method.length === 0) {
      return invalid(replyId, 'invalid request frame: method must be a non-empty string');
    }
    const extra = unknownKey(frame, REQ_KEYS);
    if (extra !== undefined) return invalid(replyId, `invalid request frame: unknown key "${extra.slice(0, 64)}"`);
    const traceparent = frame.traceparent;
    if (traceparent !== undefined && (typeof traceparent !== 'string' || traceparent.length > 128)) {
      return invalid(replyId, 'invalid request frame: traceparent must be a string of at most 128 characters');
    }
    return { kind: 'req', id, method, params: frame.params, traceparent };
  }
  if (type === 'cancel') {
    if (typeof id !== 'string' || id.length === 0) return invalid(replyId, 'invalid cancel frame: id must be a non-empty string');
    const extra = unknownKey(frame, CANCEL_KEYS);
    if (extra !== undefined) return invalid(replyId, `invalid cancel frame: unknown key "${extra.slice(0, 64)}"`);
    return { kind: 'cancel', id };
  }
  if (type === undefined) return invalid(replyId, 'invalid request frame: missing type');
  // Never String() a parsed value: an object such as {"toString":1} throws when made a string.
  const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 32)) : `of kind ${type === null ? 'null' : Array.isArray(type) ? 'array' : typeof type}`;
  return invalid(replyId, `invalid request frame: unexpected type ${shown}`);
}

export function encodeOk(id: string, payload: unknown): string {
  return payload === undefined
    ? `{"type":"res","id":${JSON.stringify(id)},"ok":true}`
    : `{"type":"res","id":${JSON.stringify(id)},"ok":true,"payload":${JSON.stringify(payload)}}`;
}

export function encodeError(id: string, error: ErrorShape, payload?: unknown): string {
  return payload === undefined ? JSON.stringify({ type: 'res', id, ok: false, error }) : JSON.stringify({ type: 'res', id, ok: false, payload, error });
}

/** `payloadJson` is serialised once and shared by every recipient; only `seq` differs per connection. */
export function encodeEvent(event: string, payloadJson: string | undefined, seq: number | undefined, stateVersionJson?: string): string {
  let out = `{"type":"event","event":${JSON.stringify(event)}`;
  if (payloadJson !== undefined) out += `,"payload":${payloadJson}`;
  if (seq !== undefined) out += `,"seq":${seq}`;
  if (stateVersionJson !== undefined) out += `,"stateVersion":${stateVersionJson}`;
  return `${out}}`;
}
