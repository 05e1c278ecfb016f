// What docs/protocol.md says the gateway answers to one inbound frame, decided from the contract's own
// frame and params schemas (not from the gateway's codec), before and after the handshake.
import { CancelFrame, RequestFrame } from '../../contract/schemas/frames.js';
import { ConnectParams } from '../../contract/schemas/connect.js';
import { METHOD_TABLE } from '../../generated/server/method-table.js';
import type { z } from 'zod';
import { exceedsDepth, MAX_INPUT_DEPTH } from '../../server/core/untrusted-input.js';
import type { FuzzInput } from './frame-arbitraries.js';

/** The gateway's documented id limit (frame-codec.ts): longer ids are invalid frames. */
const MAX_ID = 512;
const PREAUTH_MAX = 64 * 1024;

export interface ExpectedReply {
  readonly id: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly detailCode?: string;
  /** A handler ran: any answer but INTERNAL is fine. */
  readonly handled?: boolean;
}

export interface PreHandshakeExpectation {
  readonly reply?: ExpectedReply;
  /** The close code, or undefined when the handshake succeeds. */
  readonly close?: number;
}

const WIRE = new Map<string, (typeof METHOD_TABLE)[keyof typeof METHOD_TABLE]>();
for (const entry of Object.values(METHOD_TABLE)) for (const name of [entry.name, ...entry.aliases]) WIRE.set(name, entry);

type Parsed = { kind: 'binary' } | { kind: 'unparseable' } | { kind: 'value'; value: unknown };

function parse(input: FuzzInput): Parsed {
  if (input.kind === 'binary') return { kind: 'binary' };
  try {
    return { kind: 'value', value: JSON.parse(input.text) };
  } catch {
    return { kind: 'unparseable' };
  }
}

/**
 * What PROTOCOL.md promises of validation: too deep or not matching the schema is invalid, and a
 * value that makes the schema throw is invalid too. Guarded here on its own, so the oracle stays
 * right when the gateway's guard (validateUntrusted) is broken.
 */
function validates<S extends z.ZodType>(schema: S, value: unknown, maxDepth = MAX_INPUT_DEPTH): { success: true; data: z.output<S> } | { success: false } {
  if (exceedsDepth(value, maxDepth)) return { success: false };
  try {
    const result = schema.safeParse(value);
    return result.success ? { success: true, data: result.data as z.output<S> } : { success: false };
  } catch {
    return { success: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function replyIdOf(value: unknown): string {
  const id = isObject(value) ? value.id : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID ? id : 'invalid';
}

type Classified =
  | { kind: 'req'; id: string; method: string; params: unknown }
  | { kind: 'cancel'; id: string }
  | { kind: 'invalid'; replyId: string };

function classify(value: unknown): Classified {
  // The frame itself has no depth limit (its params do: the params check below).
  const req = validates(RequestFrame, value, Number.POSITIVE_INFINITY);
  if (req.success && req.data.id.length <= MAX_ID) return { kind: 'req', id: req.data.id, method: req.data.method, params: req.data.params };
  const cancel = validates(CancelFrame, value, Number.POSITIVE_INFINITY);
  if (cancel.success) return { kind: 'cancel', id: cancel.data.id };
  return { kind: 'invalid', replyId: replyIdOf(value) };
}

function negotiates(min: number, max: number): boolean {
  return [4, 3].some((v) => min <= v && v <= max);
}

export function expectBeforeHandshake(input: FuzzInput, token: string): PreHandshakeExpectation {
  const size = input.kind === 'binary' ? input.bytes.byteLength : Buffer.byteLength(input.text);
  if (size > PREAUTH_MAX) return { close: 1009 };
  const parsed = parse(input);
  const invalid = (id: string, close = 1008): PreHandshakeExpectation => ({ reply: { id, ok: false, code: 'INVALID_REQUEST' }, close });
  // docs/protocol.md "Behaviour on bad input": an error reply, then close 1000.
  if (parsed.kind !== 'value') return invalid('invalid', 1000);
  const frame = classify(parsed.value);
  if (frame.kind === 'invalid') return invalid(frame.replyId);
  if (frame.kind === 'cancel' || frame.method !== 'connect') return invalid(frame.id);
  const params = validates(ConnectParams, frame.params);
  if (!params.success) return { reply: { id: frame.id, ok: false, code: 'INVALID_REQUEST', detailCode: 'INVALID_PARAMS' }, close: 1008 };
  if (!negotiates(params.data.minProtocol, params.data.maxProtocol)) {
    return { reply: { id: frame.id, ok: false, code: 'INVALID_REQUEST', detailCode: 'PROTOCOL_MISMATCH' }, close: 1002 };
  }
  // A random device proof never verifies.
  if (params.data.device) return invalid(frame.id);
  const given = params.data.auth?.token ?? params.data.auth?.deviceToken;
  if (!given) return { reply: { id: frame.id, ok: false, code: 'INVALID_REQUEST', detailCode: 'AUTH_TOKEN_MISSING' }, close: 1008 };
  if (given !== token) return { reply: { id: frame.id, ok: false, code: 'INVALID_REQUEST', detailCode: 'AUTH_TOKEN_MISMATCH' }, close: 1008 };
  return { reply: { id: frame.id, ok: true } };
}

/** After hello-ok (operator.admin): the reply, or undefined when the frame gets no answer (cancel). */
export function expectAfterHandshake(input: FuzzInput, implemented: ReadonlySet<string>): ExpectedReply | undefined {
  const parsed = parse(input);
  const invalid = (id: string, detailCode?: string): ExpectedReply => ({ id, ok: false, code: 'INVALID_REQUEST', ...(detailCode ? { detailCode } : {}) });
  if (parsed.kind !== 'value') return invalid('invalid');
  const frame = classify(parsed.value);
  if (frame.kind === 'invalid') return invalid(frame.replyId);
  if (frame.kind === 'cancel') return undefined;
  if (frame.method === 'connect') return invalid(frame.id);
  const entry = WIRE.get(frame.method);
  if (!entry) return invalid(frame.id, 'UNKNOWN_METHOD');
  // The fuzzing connection is an operator: role-node methods are refused before anything else.
  if (entry.scope === 'node') return { id: frame.id, ok: false, code: 'FORBIDDEN', detailCode: 'MISSING_SCOPE' };
  if (!implemented.has(frame.method)) return { id: frame.id, ok: false, code: 'UNAVAILABLE', detailCode: 'NOT_IMPLEMENTED' };
  if (!validates(entry.params, frame.params === undefined ? {} : frame.params).success) return invalid(frame.id, 'INVALID_PARAMS');
  return { id: frame.id, ok: true, handled: true };
}
