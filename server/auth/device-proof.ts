// Ed25519 device identity proof (docs/protocol.md "Device proof"): id = hex SHA-256 of the raw key; the signature
// covers the v3 payload (or legacy v2); signedAt within ±2 min; the nonce echoes the challenge.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { MethodErrorCode } from '../../generated/server/method-errors.js';

export const DEVICE_SIGNATURE_SKEW_MS = 120_000;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface DeviceProofInput {
  readonly device: { id: string; publicKey: string; signature: string; signedAt: number; nonce: string };
  readonly clientId: string;
  readonly clientMode: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly token: string;
  readonly platform: string | undefined;
  readonly deviceFamily: string | undefined;
  readonly challengeNonce: string;
  readonly now: number;
}

export type DeviceProofResult =
  | { readonly ok: true; readonly deviceId: string }
  | { readonly ok: false; readonly code: Extract<MethodErrorCode<'connect'>, `DEVICE_AUTH_${string}`>; readonly reason: string };

function decodeBase64Url(value: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return null;
  return Buffer.from(value.replace(/=+$/, ''), 'base64url');
}

function loadPublicKey(encoded: string): { key: KeyObject; raw: Buffer } | null {
  try {
    if (encoded.includes('BEGIN PUBLIC KEY')) {
      const key = createPublicKey(encoded);
      if (key.asymmetricKeyType !== 'ed25519') return null;
      const der = key.export({ type: 'spki', format: 'der' });
      return { key, raw: der.subarray(der.length - 32) };
    }
    const raw = decodeBase64Url(encoded);
    if (!raw || raw.length !== 32) return null;
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    return { key, raw };
  } catch {
    return null;
  }
}

const norm = (value: string | undefined): string => (value ?? '').trim().toLowerCase();

export function devicePayloadV3(input: DeviceProofInput): string {
  const d = input.device;
  return [
    'v3',
    d.id,
    input.clientId,
    input.clientMode,
    input.role,
    input.scopes.join(','),
    String(d.signedAt),
    input.token,
    d.nonce,
    norm(input.platform),
    norm(input.deviceFamily),
  ].join('|');
}

export function devicePayloadV2(input: DeviceProofInput): string {
  const d = input.device;
  return ['v2', d.id, input.clientId, input.clientMode, input.role, input.scopes.join(','), String(d.signedAt), input.token, d.nonce].join('|');
}

export function verifyDeviceProof(input: DeviceProofInput): DeviceProofResult {
  const d = input.device;
  const loaded = loadPublicKey(d.publicKey);
  if (!loaded) return { ok: false, code: 'DEVICE_AUTH_PUBLIC_KEY_INVALID', reason: 'device-public-key' };
  const expectedId = createHash('sha256').update(loaded.raw).digest('hex');
  if (d.id !== expectedId) return { ok: false, code: 'DEVICE_AUTH_DEVICE_ID_MISMATCH', reason: 'device-id-mismatch' };
  if (Math.abs(input.now - d.signedAt) > DEVICE_SIGNATURE_SKEW_MS) {
    return { ok: false, code: 'DEVICE_AUTH_SIGNATURE_EXPIRED', reason: 'device-signature-stale' };
  }
  if (!d.nonce) return { ok: false, code: 'DEVICE_AUTH_NONCE_REQUIRED', reason: 'device-nonce-missing' };
  if (d.nonce !== input.challengeNonce) return { ok: false, code: 'DEVICE_AUTH_NONCE_MISMATCH', reason: 'device-nonce-mismatch' };
  const signature = decodeBase64Url(d.signature);
  if (!signature || signature.length !== 64) {
    return { ok: false, code: 'DEVICE_AUTH_SIGNATURE_INVALID', reason: 'device-signature' };
  }
  for (const payload of [devicePayloadV3(input), devicePayloadV2(input)]) {
    if (verify(null, Buffer.from(payload, 'utf8'), loaded.key, signature)) return { ok: true, deviceId: d.id };
  }
  return { ok: false, code: 'DEVICE_AUTH_SIGNATURE_INVALID', reason: 'device-signature' };
}
