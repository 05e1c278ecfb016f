// Browsers: a device identity as a WebCrypto Ed25519 key pair kept in IndexedDB (the private key
// is not extractable: the page can sign with it, never read it), and device tokens beside it.
import { toBase64Url, type DeviceIdentity, type DeviceTokenStore } from './runtime/device-auth.js';

const DEFAULT_DB = 'openclaw-device';
const KEYS = 'keys';
const TOKENS = 'tokens';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(KEYS);
    open.result.createObjectStore(TOKENS);
  };
  return request(open);
}

async function inStore<T>(name: string, store: string, mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb(name);
  try {
    return await request(run(db.transaction(store, mode).objectStore(store)));
  } finally {
    db.close();
  }
}

/** The page's device identity, created (and stored) on first use. Needs a secure context. */
export async function loadBrowserDeviceIdentity(options: { dbName?: string } = {}): Promise<DeviceIdentity> {
  const name = options.dbName ?? DEFAULT_DB;
  let pair = await inStore<CryptoKeyPair | undefined>(name, KEYS, 'readonly', (s) => s.get('device'));
  if (!pair) {
    pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    await inStore(name, KEYS, 'readwrite', (s) => s.put(pair, 'device'));
  }
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
  const privateKey = pair.privateKey;
  return {
    deviceId: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
    publicKey: toBase64Url(raw),
    sign: async (payload) => toBase64Url(new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, new TextEncoder().encode(payload)))),
  };
}

/** Device tokens in the same IndexedDB database. */
export function indexedDbDeviceTokenStore(options: { dbName?: string } = {}): DeviceTokenStore {
  const name = options.dbName ?? DEFAULT_DB;
  return {
    load: (deviceId, role) => inStore<string | undefined>(name, TOKENS, 'readonly', (s) => s.get(`${deviceId}|${role}`)),
    save: async (deviceId, role, token) => void (await inStore(name, TOKENS, 'readwrite', (s) => s.put(token, `${deviceId}|${role}`))),
    clear: async (deviceId, role) => void (await inStore(name, TOKENS, 'readwrite', (s) => s.delete(`${deviceId}|${role}`))),
  };
}
