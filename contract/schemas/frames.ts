import { z } from 'zod';
import { ErrorShape } from './errors.js';

const NonEmpty = z.string().min(1);

export const RequestFrame = z.strictObject({
  type: z.literal('req'),
  id: NonEmpty,
  method: NonEmpty,
  params: z.unknown().optional(),
  traceparent: z.string().max(128).optional(),
});

export const ResponseFrame = z.strictObject({
  type: z.literal('res'),
  id: NonEmpty,
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: ErrorShape.optional(),
});

export const StateVersion = z.object({
  presence: z.number().int().min(0),
  health: z.number().int().min(0),
});

export const EventFrame = z.strictObject({
  type: z.literal('event'),
  event: NonEmpty,
  payload: z.unknown().optional(),
  seq: z.number().int().min(0).optional(),
  stateVersion: StateVersion.optional(),
});

/** v4: asks the gateway to abort a pending request's handler. */
export const CancelFrame = z.strictObject({
  type: z.literal('cancel'),
  id: NonEmpty,
});

export const GatewayFrame = z.discriminatedUnion('type', [RequestFrame, ResponseFrame, EventFrame, CancelFrame]);

export type RequestFrame = z.infer<typeof RequestFrame>;
export type ResponseFrame = z.infer<typeof ResponseFrame>;
export type EventFrame = z.infer<typeof EventFrame>;
export type CancelFrame = z.infer<typeof CancelFrame>;
