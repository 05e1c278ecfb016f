import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two secrets of any length (both are hashed to a fixed size first). */
export function secretsEqual(provided: string, expected: string): boolean {
  const a = createHash('sha256').update(provided, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
