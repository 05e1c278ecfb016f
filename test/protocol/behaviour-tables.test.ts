// One test per row of docs/protocol.md's two tables of "Behaviour on bad input", against an in-process gateway and a
// gateway started through the CLI as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, connectParams, openRaw, openReady } from '../helpers/raw-socket.js';

describe.each(TARGETS)('behaviour tables ($name)', ({ start }) => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await start();
  }, 30_000);
  afterAll(async () => {
    await gw?.stop();
  });

  describe('before the handshake every case closes the socket', () => {
    it('invalid JSON first frame: error reply, close 1000', async () => {
      const s = await openRaw(gw.url);
      expect((await s.next()).event).toBe('connect.challenge');
      s.sendText('{not json');
      const res = await s.next();
      expect(res).toMatchObject({ type: 'res', id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } });
      expect((await s.closed).code).toBe(1000);
    });

    it('binary first frame: close 1000', async () => {
      const s = await openRaw(gw.url);
      await s.next();
      s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
      expect((await s.closed).code).toBe(1000);
    });

    it('first request not connect: INVALID_REQUEST "invalid handshake: first request must be connect", close 1008', async () => {
      const s = await openRaw(gw.url);
      await s.next();
      s.send({ type: 'req', id: 'x1', method: 'health', params: {} });
      const res = await s.next();
      expect(res).toMatchObject({
        type: 'res',
        id: 'x1',
        ok: false,
        error: { code: 'INVALID_REQUEST', message: 'invalid handshake: first request must be connect' },
      });
      expect((await s.closed).code).toBe(1008);
    });

    it.each([
      ['unknown key', { bogus: true }, 'bogus'],
      ['bad mode', { client: { id: 'test', version: '1', platform: 'linux', mode: 'operator' } }, 'client.mode'],
      ['bad role', { role: 'agent' }, 'role'],
    ])('bad connect params (%s): INVALID_REQUEST naming the field, close 1008', async (_label, overrides, field) => {
      const s = await openRaw(gw.url);
      await s.next();
      s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ auth: { token: gw.token }, ...overrides }) });
      const res = await s.next();
      expect(res.ok).toBe(false);
      expect(res.error!.code).toBe('INVALID_REQUEST');
      expect(res.error!.message).toMatch(/^invalid connect params: /);
      expect(res.error!.message).toContain(field);
      expect((await s.closed).code).toBe(1008);
    });

    it('wrong token: AUTH_TOKEN_MISMATCH, close 1008', async () => {
      const s = await openRaw(gw.url);
      await s.next();
      s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ auth: { token: 'wrong' } }) });
      const res = await s.next();
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_TOKEN_MISMATCH' } } });
      expect((await s.closed).code).toBe(1008);
    });

    it('missing token: AUTH_TOKEN_MISSING, close 1008', async () => {
      const s = await openRaw(gw.url);
      await s.next();
      s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
      const res = await s.next();
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_TOKEN_MISSING' } } });
      expect((await s.closed).code).toBe(1008);
    });

    it('protocol range without 3 or 4: "protocol mismatch" with details, close 1002', async () => {
      const s = await openRaw(gw.url);
      await s.next();
      s.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ minProtocol: 5, maxProtocol: 6, auth: { token: gw.token } }) });
      const res = await s.next();
      expect(res).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST', message: 'protocol mismatch', details: { code: 'PROTOCOL_MISMATCH', supportedProtocols: [3, 4] } },
      });
      expect((await s.closed).code).toBe(1002);
    });

    it('first frame larger than 64 KiB: close 1009', async () => {
      const s = await openRaw(gw.url);
      await s.next();
      s.sendText(JSON.stringify({ type: 'req', id: 'c1', method: 'connect', params: { pad: 'x'.repeat(70 * 1024) } }));
      expect((await s.closed).code).toBe(1009);
    });

    it('silence: the challenge only, then close 1000 after the handshake timeout', async () => {
      const s = await openRaw(gw.url);
      const challenge = await s.next();
      expect(challenge).toMatchObject({ type: 'event', event: 'connect.challenge' });
      expect(challenge.seq).toBeUndefined();
      expect(typeof challenge.payload.nonce).toBe('string');
      expect(typeof challenge.payload.ts).toBe('number');
      const closed = await s.closed;
      expect(closed.code).toBe(1000);
      expect(s.frames).toHaveLength(0);
    });
  });

  describe('after the handshake the socket stays open for every bad frame', () => {
    it('invalid JSON and binary frames: res id "invalid" INVALID_REQUEST', async () => {
      const { socket } = await openReady(gw.url, gw.token);
      const nextRes = () => socket.waitFor((f) => f.type === 'res');
      socket.sendText('{oops');
      expect(await nextRes()).toMatchObject({ type: 'res', id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } });
      socket.ws.send(Buffer.from('{}'), { binary: true });
      expect(await nextRes()).toMatchObject({ type: 'res', id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } });
      expect((await call(socket, 'health')).ok).toBe(true);
      socket.close();
    });

    it('a non-object, or a req without id: res id "invalid" "invalid request frame: …"', async () => {
      const { socket } = await openReady(gw.url, gw.token);
      socket.sendText('[1,2,3]');
      const a = await socket.waitFor((f) => f.type === 'res');
      expect(a).toMatchObject({ id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(a.error!.message).toMatch(/^invalid request frame: /);
      socket.send({ type: 'req', method: 'health' });
      const b = await socket.waitFor((f) => f.type === 'res');
      expect(b).toMatchObject({ id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(b.error!.message).toMatch(/^invalid request frame: /);
      expect((await call(socket, 'health')).ok).toBe(true);
      socket.close();
    });

    it('unknown method: INVALID_REQUEST "unknown method: <name>"', async () => {
      const { socket } = await openReady(gw.url, gw.token);
      const res = await call(socket, 'no.such.method', {});
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'unknown method: no.such.method' } });
      expect((await call(socket, 'health')).ok).toBe(true);
      socket.close();
    });

    it('params failing the schema: INVALID_REQUEST "invalid <method> params: <path>: <problem>"', async () => {
      const { socket } = await openReady(gw.url, gw.token);
      const res = await call(socket, 'logs.tail', { limit: 0 });
      expect(res.ok).toBe(false);
      expect(res.error!.code).toBe('INVALID_REQUEST');
      expect(res.error!.message).toMatch(/^invalid logs\.tail params: limit: /);
      expect((await call(socket, 'health')).ok).toBe(true);
      socket.close();
    });

    it('method outside the scopes: FORBIDDEN "missing scope: <scope>" with details', async () => {
      const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
      const res = await call(socket, 'config.schema', {});
      expect(res).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: 'missing scope: operator.admin',
          details: { code: 'MISSING_SCOPE', missingScope: 'operator.admin', requiredScopes: ['operator.admin'] },
        },
      });
      expect((await call(socket, 'config.get', {})).ok).toBe(true);
      socket.close();
    });

    it('a second connect: INVALID_REQUEST "connect is only valid as the first request", socket stays open', async () => {
      const { socket } = await openReady(gw.url, gw.token);
      const res = await call(socket, 'connect', connectParams({ auth: { token: gw.token } }));
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'connect is only valid as the first request' } });
      expect((await call(socket, 'health')).ok).toBe(true);
      socket.close();
    });
  });
});
