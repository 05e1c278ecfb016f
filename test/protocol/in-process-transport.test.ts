// gateway.connectInProcess(): the real codec and connection state machine without a socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams } from '../helpers/raw-socket.js';
import { handshakeInProcess, peerOf } from './in-process-peer.js';

describe('in-process transport', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  it('round trip: challenge, connect, hello-ok, calls, events, close', async () => {
    const client = gw.gateway!.connectInProcess();
    const { peer, hello } = await handshakeInProcess(client, gw.token);
    expect(hello).toMatchObject({ type: 'hello-ok', protocol: 4, auth: { role: 'operator', scopes: ['operator.admin'] } });
    expect(gw.gateway!.runtime.connectionCount()).toBeGreaterThanOrEqual(1);

    const health = await peer.call('health', {});
    expect(health).toMatchObject({ type: 'res', ok: true, payload: { ok: expect.any(Boolean) } });
    const cfg = await peer.call('config.get', {});
    expect(cfg.ok).toBe(true);
    expect(JSON.stringify(cfg)).not.toContain(gw.token);

    gw.gateway!.runtime.hub.publish('tick', { ts: 42 });
    const tick = await peer.waitFor((f) => f.event === 'tick' && f.payload.ts === 42);
    expect(tick.seq).toBeGreaterThanOrEqual(1);

    const before = gw.gateway!.runtime.connectionCount();
    client.close(1000, 'done');
    expect(await client.closed).toEqual({ code: 1000, reason: 'done' });
    await new Promise((r) => setImmediate(r));
    expect(gw.gateway!.runtime.connectionCount()).toBe(before - 1);
  });

  it('runs the same handshake rules: a wrong token closes 1008', async () => {
    const client = gw.gateway!.connectInProcess({ remoteAddress: '127.0.0.9' });
    const peer = peerOf(client);
    await peer.waitFor((f) => f.event === 'connect.challenge');
    const res = await peer.call('connect', connectParams({ auth: { token: 'nope' } }));
    expect(res.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
    expect((await client.closed).code).toBe(1008);
  });

  it('enforces 64 KiB before the handshake and maxPayload after it', async () => {
    const early = gw.gateway!.connectInProcess();
    early.send(JSON.stringify({ type: 'req', id: 'x', method: 'connect', params: { pad: 'x'.repeat(70 * 1024) } }));
    expect((await early.closed).code).toBe(1009);

    const { peer } = await handshakeInProcess(gw.gateway!.connectInProcess(), gw.token);
    const big = await peer.call('logs.tail', { pad: 'y'.repeat(100 * 1024) });
    expect(big).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect((await peer.call('health', {})).ok).toBe(true);
    peer.client.close();
  });

  it('answers bad frames after the handshake and stays usable', async () => {
    const { peer } = await handshakeInProcess(gw.gateway!.connectInProcess(), gw.token);
    peer.sendText('not json');
    expect(await peer.waitFor((f) => f.type === 'res')).toMatchObject({ id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } });
    peer.client.sendBinary(new Uint8Array([1, 2, 3]));
    expect(await peer.waitFor((f) => f.type === 'res')).toMatchObject({ id: 'invalid', ok: false });
    expect((await peer.call('health', {})).ok).toBe(true);
    peer.client.close();
  });
});
