// Device tokens: 32 random bytes, base64url; only their SHA-256 is stored, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function mintToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` hashes to `hash` (hex SHA-256). */
export function tokenMatches(token: string, hash: string): boolean {
  const expected = Buffer.from(hash, 'hex');
  const given = createHash('sha256').update(token, 'utf8').digest();
  return expected.length === given.length && timingSafeEqual(expected, given);
}
