/**
 * Placed in a handler slot for a method another issue will implement. The dispatcher answers it
 * with `UNAVAILABLE` / `details.code NOT_IMPLEMENTED`, and hello-ok does not advertise it.
 */
export const NOT_IMPLEMENTED = Object.freeze({ notImplemented: true as const });
export type NotImplemented = typeof NOT_IMPLEMENTED;

export function isNotImplemented(slot: unknown): slot is NotImplemented {
  return slot === NOT_IMPLEMENTED;
}
