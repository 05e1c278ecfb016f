// Node: a device identity in a key file (upstream's identity/device.json: version, deviceId, PEM
// keys; mode 0600), created on first use, and device tokens in a JSON file beside it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceIdentity, DeviceTokenStore } from './runtime/device-auth.js';

interface StoredIdentity {
  version: 1;
  deviceId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  createdAtMs: number;
}

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
  chmodSync(path, 0o600);
}

function rawPublicKey(publicKeyPem: string): Buffer {
  return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).subarray(-32);
}

function fromStored(stored: StoredIdentity): DeviceIdentity {
  const key = createPrivateKey(stored.privateKeyPem);
  const raw = rawPublicKey(stored.publicKeyPem);
  return {
    deviceId: createHash('sha256').update(raw).digest('hex'),
    publicKey: raw.toString('base64url'),
    sign: (payload) => edSign(null, Buffer.from(payload, 'utf8'), key).toString('base64url'),
  };
}

/** Loads the identity at `path`, or creates one there (mode 0600) when there is none. */
export function loadOrCreateDeviceIdentity(path: string): DeviceIdentity {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the device identity ${path}: ${(error as Error).message}`);
  }
  if (text !== undefined) {
    let stored: StoredIdentity;
    try {
      stored = JSON.parse(text) as StoredIdentity;
      if (stored.version !== 1 || typeof stored.privateKeyPem !== 'string' || typeof stored.publicKeyPem !== 'string') throw new Error('unexpected shape');
      return fromStored(stored);
    } catch (error) {
      // Never replace a key silently: the device would lose its pairing.
      throw new Error(`the device identity ${path} is unreadable (${(error as Error).message}); move it away to create a new one (the device will need pairing again)`);
    }
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const stored: StoredIdentity = {
    version: 1,
    deviceId: createHash('sha256').update(rawPublicKey(publicKeyPem)).digest('hex'),
    publicKeyPem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    createdAtMs: Date.now(),
  };
  writePrivate(path, `${JSON.stringify(stored, null, 2)}\n`);
  return fromStored(stored);
}

interface TokenFile {
  version: 1;
  tokens: Record<string, { deviceId: string; role: string; token: string; scopes: string[]; updatedAtMs: number }>;
}

/** Device tokens in a JSON file (mode 0600), e.g. identity/device-auth.json. */
export function fileDeviceTokenStore(path: string): DeviceTokenStore {
  const read = (): TokenFile => {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as TokenFile;
      return parsed.version === 1 && parsed.tokens && typeof parsed.tokens === 'object' ? parsed : { version: 1, tokens: {} };
    } catch {
      return { version: 1, tokens: {} };
    }
  };
  const write = (file: TokenFile): void => writePrivate(path, `${JSON.stringify(file, null, 2)}\n`);
  return {
    load: (deviceId, role) => read().tokens[`${deviceId}|${role}`]?.token,
    save(deviceId, role, token, scopes) {
      const file = read();
      file.tokens[`${deviceId}|${role}`] = { deviceId, role, token, scopes: [...scopes], updatedAtMs: Date.now() };
      write(file);
    },
    clear(deviceId, role) {
      const file = read();
      if (!file.tokens[`${deviceId}|${role}`]) return;
      delete file.tokens[`${deviceId}|${role}`];
      write(file);
    },
  };
}
