// Device identity proof (docs/protocol.md "Device proof"): a valid Ed25519 proof is accepted, every kind of bad
// proof is rejected with its detail code and close 1008.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams, openRaw } from '../helpers/raw-socket.js';

interface Identity {
  readonly id: string;
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

function newIdentity(): Identity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  return { id: createHash('sha256').update(raw).digest('hex'), publicKey: raw.toString('base64url'), privateKey };
}

const CLIENT = { id: 'test', version: '1.0.0', platform: ' Linux ', mode: 'test', deviceFamily: 'Desktop' } as const;
const SCOPES = ['operator.read', 'operator.write'];

/** `v3|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce|platform|deviceFamily` */
function v3Payload(deviceId: string, signedAt: number, token: string, nonce: string): string {
  return ['v3', deviceId, CLIENT.id, CLIENT.mode, 'operator', SCOPES.join(','), String(signedAt), token, nonce, 'linux', 'desktop'].join('|');
}

function v2Payload(deviceId: string, signedAt: number, token: string, nonce: string): string {
  return ['v2', deviceId, CLIENT.id, CLIENT.mode, 'operator', SCOPES.join(','), String(signedAt), token, nonce].join('|');
}

type Tamper = (d: { id: string; publicKey: string; signature: string; signedAt: number; nonce: string }, challenge: { nonce: string; ts: number }) => void;

describe('device identity proof', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  async function connectWithDevice(options: { identity?: Identity; payload?: 'v3' | 'v2'; tamper?: Tamper; signWith?: KeyObject } = {}) {
    const identity = options.identity ?? newIdentity();
    const s = await openRaw(gw.url);
    const challenge = (await s.next()).payload as { nonce: string; ts: number };
    const signedAt = challenge.ts;
    const device = { id: identity.id, publicKey: identity.publicKey, signature: '', signedAt, nonce: challenge.nonce };
    options.tamper?.(device, challenge);
    const build = options.payload === 'v2' ? v2Payload : v3Payload;
    if (!device.signature) {
      device.signature = sign(null, Buffer.from(build(device.id, device.signedAt, gw.token, device.nonce)), options.signWith ?? identity.privateKey).toString('base64url');
    }
    s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ client: CLIENT, scopes: SCOPES, auth: { token: gw.token }, device }) });
    const res = await s.waitFor((f) => f.id === 'c1');
    const close = res.ok ? undefined : (await s.closed).code;
    s.close();
    return { res, close, identity };
  }

  it('a valid v3 proof is accepted and the device shows up in presence', async () => {
    const { res, identity } = await connectWithDevice();
    expect(res.ok).toBe(true);
    // A local operator holding the gateway secret is paired silently and gets its device token once.
    expect(res.payload.auth).toEqual({ role: 'operator', scopes: SCOPES, method: 'token', deviceToken: expect.any(String), issuedAtMs: expect.any(Number) });
    expect(res.payload.snapshot.presence).toContainEqual(expect.objectContaining({ deviceId: identity.id }));
  });

  it('a valid legacy v2 proof is accepted', async () => {
    expect((await connectWithDevice({ payload: 'v2' })).res.ok).toBe(true);
  });

  it('a PEM public key is accepted too', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
    const identity = { id: createHash('sha256').update(raw).digest('hex'), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
    expect((await connectWithDevice({ identity })).res.ok).toBe(true);
  });

  it.each<[string, { tamper?: Tamper; signWith?: KeyObject }, string]>([
    ['bad signature (signed by another key)', { signWith: newIdentity().privateKey }, 'DEVICE_AUTH_SIGNATURE_INVALID'],
    ['signature over a different payload', { tamper: (d) => (d.signature = sign(null, Buffer.from('v3|other'), newIdentity().privateKey).toString('base64url')) }, 'DEVICE_AUTH_SIGNATURE_INVALID'],
    ['malformed signature', { tamper: (d) => (d.signature = 'not base64url!') }, 'DEVICE_AUTH_SIGNATURE_INVALID'],
    ['id not the hash of the key', { tamper: (d) => (d.id = 'f'.repeat(64)) }, 'DEVICE_AUTH_DEVICE_ID_MISMATCH'],
    ['stale signedAt (3 minutes old)', { tamper: (d) => (d.signedAt -= 180_000) }, 'DEVICE_AUTH_SIGNATURE_EXPIRED'],
    ['signedAt in the future (3 minutes)', { tamper: (d) => (d.signedAt += 180_000) }, 'DEVICE_AUTH_SIGNATURE_EXPIRED'],
    ['nonce not the challenge', { tamper: (d) => (d.nonce = 'some-other-nonce') }, 'DEVICE_AUTH_NONCE_MISMATCH'],
    ['public key not Ed25519-sized', { tamper: (d) => (d.publicKey = Buffer.alloc(16, 1).toString('base64url')) }, 'DEVICE_AUTH_PUBLIC_KEY_INVALID'],
  ])('%s → %s, close 1008', async (_label, options, code) => {
    const { res, close } = await connectWithDevice(options);
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code } });
    expect(res.error!.message).toMatch(/^device auth failed: /);
    expect(close).toBe(1008);
  });
});
