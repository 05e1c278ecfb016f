// The proxy the gateway offers itself at /api/gateway/ws, plus the pure pieces (close codes,
// reasons, the default authorize hook).
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAuthorize, normalizeOrigin } from '../../server/proxy/proxy-authorize.js';
import { sanitizeCloseCode, truncateReason } from '../../server/proxy/proxy-close.js';
import { withProxyDefaults } from '../../server/proxy/proxy-settings.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams, openRaw } from '../helpers/raw-socket.js';

describe('the gateway at /api/gateway/ws', () => {
  let gw: RunningGateway;
  let disabled: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
    disabled = await startInProcess({ gateway: { ...TEST_CONFIG.gateway, proxy: { enabled: false } } });
  }, 30_000);
  afterAll(async () => {
    await gw?.stop();
    await disabled?.stop();
  });

  const proxyUrl = (g: RunningGateway): string => g.url.replace(/\/ws$/, '/api/gateway/ws');

  it('accepts a page served by the gateway itself and connects it with the gateway token', async () => {
    const socket = await openRaw(proxyUrl(gw), { origin: gw.httpUrl });
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ scopes: ['operator.read', 'operator.write', 'operator.admin'] }) });
    const res = await socket.waitFor((f) => f.id === 'c1');
    expect(res.ok).toBe(true);
    expect(res.payload.auth.scopes.sort()).toEqual(['operator.read', 'operator.write']);
    expect(JSON.stringify(res)).not.toContain(gw.token);
    socket.close();
  });

  it('refuses other origins', async () => {
    await expect(openRaw(proxyUrl(gw), { origin: 'http://localhost:9999' })).rejects.toThrow(/403/);
  });

  it('answers 404 when gateway.proxy.enabled is false', async () => {
    await expect(openRaw(proxyUrl(disabled), { origin: disabled.httpUrl })).rejects.toThrow(/404/);
  });
});

describe('proxy building blocks', () => {
  it('never passes on 1005/1006/1015 or reserved codes', () => {
    expect(sanitizeCloseCode(1006, 1014)).toBe(1014);
    expect(sanitizeCloseCode(1005, 1001)).toBe(1001);
    expect(sanitizeCloseCode(1015, 1014)).toBe(1014);
    expect(sanitizeCloseCode(1004, 1014)).toBe(1014);
    expect(sanitizeCloseCode(2500, 1014)).toBe(1014);
    expect(sanitizeCloseCode(undefined, 1014)).toBe(1014);
    expect(sanitizeCloseCode(1012, 1014)).toBe(1012);
    expect(sanitizeCloseCode(4001, 1014)).toBe(4001);
  });

  it('truncates close reasons to 123 bytes on a character boundary', () => {
    const long = 'é'.repeat(100);
    const cut = truncateReason(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
    expect(cut).toBe('é'.repeat(61));
    expect(truncateReason('short')).toBe('short');
  });

  const request = (remoteAddress: string, origin?: string): IncomingMessage =>
    ({ socket: { remoteAddress }, headers: origin ? { origin } : {} }) as unknown as IncomingMessage;
  const settings = withProxyDefaults({ upstreamUrl: 'ws://127.0.0.1:1/ws', allowedOrigins: ['http://127.0.0.1:3000'] });

  it('the default authorize hook wants loopback and an allow-listed origin', () => {
    expect(defaultAuthorize(request('127.0.0.1', 'http://127.0.0.1:3000'), settings)).toEqual({ ok: true });
    expect(defaultAuthorize(request('::ffff:127.0.0.1', 'HTTP://127.0.0.1:3000'), settings)).toEqual({ ok: true });
    expect(defaultAuthorize(request('192.0.2.10', 'http://127.0.0.1:3000'), settings)).toMatchObject({ ok: false, status: 403 });
    expect(defaultAuthorize(request('127.0.0.1'), settings)).toMatchObject({ ok: false, status: 401 });
    expect(defaultAuthorize(request('127.0.0.1', 'http://127.0.0.1:3001'), settings)).toMatchObject({ ok: false, status: 403 });
    expect(defaultAuthorize(request('127.0.0.1', 'null'), settings)).toMatchObject({ ok: false, status: 403 });
    expect(normalizeOrigin('file:///x')).toBeUndefined();
  });
});
