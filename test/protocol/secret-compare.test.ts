// secretsEqual: the one comparison behind WebSocket token auth and HTTP bearer auth.
import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../server/auth/secret-compare.js';

describe('secretsEqual', () => {
  const token = 'tok-0123456789abcdef0123456789abcdef';

  it('accepts exactly the expected secret and nothing near it', () => {
    expect(secretsEqual(token, token)).toBe(true);
    expect(secretsEqual(token.slice(0, -1), token)).toBe(false);
    expect(secretsEqual(`${token}x`, token)).toBe(false);
    expect(secretsEqual(`${token}\u0000`, token)).toBe(false);
    expect(secretsEqual(token.toUpperCase(), token)).toBe(false);
    expect(secretsEqual('', token)).toBe(false);
  });

  it('compares by bytes, so multi-byte characters and zero padding cannot collide', () => {
    expect(secretsEqual('pässwörd', 'pässwörd')).toBe(true);
    expect(secretsEqual('passwörd', 'pässwörd')).toBe(false);
    expect(secretsEqual('a\u0000', 'a')).toBe(false);
  });

  it('follows a changed secret, and a shorter one after a longer one leaves no stale bytes', () => {
    expect(secretsEqual('second-secret-value', 'second-secret-value')).toBe(true);
    expect(secretsEqual(token, 'second-secret-value')).toBe(false);
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abcdef', 'abc')).toBe(false);
  });

  it('handles secrets and presented values past the fixed slot (252 bytes)', () => {
    const long = 'L'.repeat(5000);
    expect(secretsEqual(long, long)).toBe(true);
    expect(secretsEqual(`${long.slice(1)}M`, long)).toBe(false);
    expect(secretsEqual(long, token)).toBe(false);
    expect(secretsEqual('x'.repeat(252), 'x'.repeat(252))).toBe(true);
    expect(secretsEqual('x'.repeat(253), 'x'.repeat(253))).toBe(true);
    expect(secretsEqual('x'.repeat(253), 'x'.repeat(252))).toBe(false);
    expect(secretsEqual('x'.repeat(252), 'x'.repeat(253))).toBe(false);
  });
});
