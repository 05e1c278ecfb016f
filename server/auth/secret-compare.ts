import { createHash, timingSafeEqual } from 'node:crypto';

// Secrets are compared as fixed-size slots: 4 bytes of length, then the UTF-8 bytes, zero padded.
// timingSafeEqual over the whole slot takes the same time whatever the secret holds, and costs far
// less than hashing both sides on every request. Secrets over 252 bytes fall back to comparing digests.
const MAX_SLOT_SECRET_BYTES = 252;
const SLOT_BYTES = 4 + MAX_SLOT_SECRET_BYTES;
const scratch = Buffer.alloc(SLOT_BYTES);
let expectedSlot: { secret: string; slot: Buffer | undefined } | undefined;

/** Writes `text` into `slot`; false when it does not fit. */
function fillSlot(slot: Buffer, text: string): boolean {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SLOT_SECRET_BYTES) return false;
  slot.fill(0);
  slot.writeUInt32BE(bytes, 0);
  slot.write(text, 4, 'utf8');
  return true;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time equality of a presented secret and the expected one (any lengths). */
export function secretsEqual(provided: string, expected: string): boolean {
  if (expectedSlot?.secret !== expected) {
    const slot = Buffer.alloc(SLOT_BYTES);
    expectedSlot = { secret: expected, slot: fillSlot(slot, expected) ? slot : undefined };
  }
  const slot = expectedSlot.slot;
  if (!slot) return timingSafeEqual(digest(provided), digest(expected));
  // A presented value longer than any slot secret cannot match; saying so early reveals nothing.
  if (!fillSlot(scratch, provided)) return false;
  return timingSafeEqual(scratch, slot);
}
