// A device identity as the SDKs hold it (an Ed25519 key pair; Node: a key file, browsers:
// WebCrypto keys in IndexedDB) and the signed `device` block of connect (reference §2.5, the v3
// payload): `v3|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce|platform|deviceFamily`.
// No Node or DOM specifics here.

export interface DeviceIdentity {
  /** hex SHA-256 of the raw public key. */
  readonly deviceId: string;
  /** The raw 32-byte public key, base64url. */
  readonly publicKey: string;
  /** Ed25519 signature of the UTF-8 payload, base64url. */
  sign(payload: string): string | Promise<string>;
}

/** Where a client keeps the device tokens the gateway issues (one per role). */
export interface DeviceTokenStore {
  load(deviceId: string, role: string): string | undefined | Promise<string | undefined>;
  save(deviceId: string, role: string, token: string, scopes: readonly string[]): void | Promise<void>;
  clear(deviceId: string, role: string): void | Promise<void>;
}

export interface DeviceProofFields {
  readonly clientId: string;
  readonly clientMode: string;
  readonly role: string;
  readonly scopes: readonly string[];
  /** auth.token ?? auth.deviceToken ?? '' of the same connect. */
  readonly token: string;
  readonly nonce: string;
  readonly signedAt: number;
  readonly platform?: string | undefined;
  readonly deviceFamily?: string | undefined;
}

const norm = (value: string | undefined): string => (value ?? '').trim().toLowerCase();

export function deviceProofPayload(deviceId: string, f: DeviceProofFields): string {
  return ['v3', deviceId, f.clientId, f.clientMode, f.role, f.scopes.join(','), String(f.signedAt), f.token, f.nonce, norm(f.platform), norm(f.deviceFamily)].join('|');
}

export async function signDeviceProof(identity: DeviceIdentity, f: DeviceProofFields) {
  const signature = await identity.sign(deviceProofPayload(identity.deviceId, f));
  return { id: identity.deviceId, publicKey: identity.publicKey, signature, signedAt: f.signedAt, nonce: f.nonce };
}

/** base64url of bytes (browsers and Node). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token store in memory (the default: tokens live as long as the client). */
export function memoryDeviceTokenStore(): DeviceTokenStore {
  const tokens = new Map<string, string>();
  return {
    load: (deviceId, role) => tokens.get(`${deviceId}|${role}`),
    save: (deviceId, role, token) => void tokens.set(`${deviceId}|${role}`, token),
    clear: (deviceId, role) => void tokens.delete(`${deviceId}|${role}`),
  };
}
