// Methods a later issue implements. Each is listed by name so the compiler still checks that
// every contract method has a slot; the dispatcher answers these UNAVAILABLE / NOT_IMPLEMENTED.
import type { HandledMethodName } from '../generated/server/method-types.js';
import { NOT_IMPLEMENTED, type NotImplemented } from './core/not-implemented.js';

export function planned<K extends HandledMethodName>(names: readonly K[]): Record<K, NotImplemented> {
  return Object.fromEntries(names.map((name) => [name, NOT_IMPLEMENTED])) as Record<K, NotImplemented>;
}
