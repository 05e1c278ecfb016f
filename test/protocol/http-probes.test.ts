// Liveness and readiness probes on the gateway port, and the headers every HTTP response carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';

describe('HTTP probes', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  const expectSecurityHeaders = (res: Response): void => {
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
  };

  it.each(['/health', '/healthz'])('GET %s: live, no auth, not cached', async (path) => {
    const res = await fetch(`${gw.httpUrl}${path}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, status: 'live' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(res);
  });

  it.each(['/ready', '/readyz'])('GET %s: ready, with details for a loopback caller', async (path) => {
    const res = await fetch(`${gw.httpUrl}${path}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ready: boolean; failing: string[]; uptimeMs: number };
    expect(body).toEqual({ ready: true, failing: [], uptimeMs: expect.any(Number) });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(res);
  });

  it('an unknown path is a plain 404 with the same headers', async () => {
    const res = await fetch(`${gw.httpUrl}/no/such/path`);
    expect(res.status).toBe(404);
    expectSecurityHeaders(res);
  });

  it('the wrong verb on a probe is 405 naming the allowed ones', async () => {
    const res = await fetch(`${gw.httpUrl}/healthz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
  });
});
