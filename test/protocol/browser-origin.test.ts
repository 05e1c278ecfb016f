// Regression: the gateway accepted WebSocket upgrades from any Origin, so with auth mode "none" any
// web page the user visited got hello-ok with operator.admin. Browser origins are now checked:
// the gateway's own loopback origins and gateway.controlUi.allowedOrigins get in, others are
// refused with upstream's CONTROL_UI_ORIGIN_NOT_ALLOWED, a page without a secret never gets more
// than the GatewayProxy would give it, and clients that send no Origin are unaffected.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams, openRaw, type Frame } from '../helpers/raw-socket.js';
import { startWith } from './gateway-fixtures.js';

const EVIL = 'http://evil.example';

async function connectFrom(url: string, origin: string | undefined, params: Record<string, unknown>): Promise<{ res: Frame; closed: Promise<{ code: number }> }> {
  const socket = await openRaw(url, origin === undefined ? {} : { origin });
  await socket.waitFor((f) => f.event === 'connect.challenge');
  socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams(params) });
  const res = await socket.waitFor((f) => f.type === 'res' && f.id === 'c1');
  if (res.ok) socket.close();
  return { res, closed: socket.closed };
}

/** A POST with the headers a browser would send (fetch would not let us set Origin everywhere). */
function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('browser origins on the RPC socket (token auth)', () => {
  let gw: RunningGateway;
  let own: string;
  beforeAll(async () => {
    gw = await startWith({ gateway: { controlUi: { allowedOrigins: ['https://ui.example'] } } });
    own = `http://127.0.0.1:${new URL(gw.url).port}`;
  });
  afterAll(() => gw?.stop());

  it.each([EVIL, 'null', 'http://127.0.0.1:1', 'http://localhost.evil.example'])('a page on %s is refused with CONTROL_UI_ORIGIN_NOT_ALLOWED and close 1008, even with the token', async (origin) => {
    const { res, closed } = await connectFrom(gw.url, origin, { auth: { token: gw.token } });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED' } } });
    expect(res.error!.message).toContain('gateway.controlUi.allowedOrigins');
    expect((await closed).code).toBe(1008);
  });

  it('the gateway\'s own loopback origins and the allow-listed origin get in', async () => {
    const port = new URL(gw.url).port;
    for (const origin of [own, `http://localhost:${port}`, 'https://ui.example']) {
      const { res } = await connectFrom(gw.url, origin, { auth: { token: gw.token } });
      expect(res.ok, origin).toBe(true);
    }
  });

  it('a client without an Origin header is unaffected', async () => {
    const { res } = await connectFrom(gw.url, undefined, { auth: { token: gw.token } });
    expect(res).toMatchObject({ ok: true, payload: { auth: { scopes: ['operator.admin'] } } });
  });

  it('HTTP: a POST from a page on another site is refused with 403, from the gateway\'s own page it is served', async () => {
    const body = { tool: 'sessions_list' };
    const auth = { authorization: `Bearer ${gw.token}` };
    const evil = await post(`${gw.httpUrl}/tools/invoke`, body, { ...auth, origin: EVIL });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toMatchObject({ ok: false, error: { type: 'forbidden' } });
    expect((await post(`${gw.httpUrl}/tools/invoke`, body, { ...auth, origin: own })).status).not.toBe(403);
    expect((await post(`${gw.httpUrl}/tools/invoke`, body, auth)).status).not.toBe(403);
  });
});

describe('browser origins with auth mode "none"', () => {
  let gw: RunningGateway;
  let own: string;
  beforeAll(async () => {
    gw = await startWith({ gateway: { auth: { mode: 'none' } } });
    own = `http://127.0.0.1:${new URL(gw.url).port}`;
  });
  afterAll(() => gw?.stop());

  it('a page on another site gets nothing', async () => {
    const { res, closed } = await connectFrom(gw.url, EVIL, { scopes: ['operator.admin'] });
    expect(res).toMatchObject({ ok: false, error: { details: { code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED' } } });
    expect((await closed).code).toBe(1008);
    expect((await post(`${gw.httpUrl}/tools/invoke`, { tool: 'sessions_list' }, { origin: EVIL })).status).toBe(403);
  });

  it('a page on the gateway\'s own origin never gets operator.admin or pairing without a secret', async () => {
    const { res } = await connectFrom(gw.url, own, { scopes: ['operator.admin', 'operator.pairing', 'operator.read', 'operator.write'] });
    expect(res.ok).toBe(true);
    expect([...res.payload.auth.scopes].sort()).toEqual(['operator.read', 'operator.write']);
  });

  it('a local client that is not a browser still gets what it asks for', async () => {
    const { res } = await connectFrom(gw.url, undefined, { scopes: ['operator.admin'] });
    expect(res).toMatchObject({ ok: true, payload: { auth: { scopes: ['operator.admin'] } } });
  });
});

describe('gateway.controlUi.allowedOrigins: ["*"]', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { controlUi: { allowedOrigins: ['*'] } } });
  });
  afterAll(() => gw?.stop());

  it('lets any page connect with the token', async () => {
    const { res } = await connectFrom(gw.url, EVIL, { auth: { token: gw.token } });
    expect(res.ok).toBe(true);
  });
});
