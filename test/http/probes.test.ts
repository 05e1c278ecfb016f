// Probes, /openapi.json and the dashboard: open routes (docs/http.md "Probes and other routes").
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveProbe, ReadyProbe } from '../../contract/schemas/probes.js';
import type { GatewayRuntime } from '../../server/gateway-runtime.js';
import { createProbeHandlers } from '../../server/http/probe-handlers.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { startHttpGateway } from './http-gateway.js';

describe('probes on a real gateway', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startHttpGateway();
  });
  afterAll(() => gw?.stop());

  it.each(['/health', '/healthz'])('GET %s: 200 {ok:true,status:"live"}, no-store, no auth', async (path) => {
    const res = await fetch(gw.httpUrl + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(LiveProbe.parse(await res.json())).toEqual({ ok: true, status: 'live' });
  });

  it.each(['/ready', '/readyz'])('GET %s from loopback: 200 with failing[] and uptimeMs', async (path) => {
    const res = await fetch(gw.httpUrl + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = ReadyProbe.parse(await res.json());
    expect(body).toEqual({ ready: true, failing: [], uptimeMs: expect.any(Number) });
  });

  it('HEAD on a probe: 200 and no body', async () => {
    const res = await fetch(gw.httpUrl + '/healthz', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('/openapi.json is the generated OpenAPI 3.1 document naming every route', async () => {
    const res = await fetch(gw.httpUrl + '/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/models', '/v1/models/{id}', '/tools/invoke', '/health', '/readyz']) expect(doc.paths).toHaveProperty([path]);
    expect(doc.paths['/v1/models/{id}']).toMatchObject({ get: { parameters: [{ name: 'id', in: 'path', required: true }] } });
  });

  it('/ serves the dashboard HTML', async () => {
    const res = await fetch(gw.httpUrl + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('OpenClaw Gateway');
  });
});

describe('readiness details for remote callers', () => {
  // A non-loopback peer cannot be produced on this machine, so the handler runs in a bare Hono app
  // with the IncomingMessage fields the node adapter would pass.
  const rt = {
    startedAt: Date.now() - 1000,
    version: 'test',
    settings: () => ({ auth: { mode: 'token', token: 'secret-token', password: undefined } }),
  } as unknown as GatewayRuntime;
  const app = (failing: string[]): Hono => {
    const handlers = createProbeHandlers(rt, () => failing);
    const hono = new Hono();
    hono.get('/readyz', (c) => handlers.probesReady(c));
    return hono;
  };
  const remote = (headers: Record<string, string> = {}) => ({ incoming: { socket: { remoteAddress: '10.1.2.3' }, headers } });

  it('a remote caller without the token sees only {ready}; with it, the details', async () => {
    const plain = await app([]).request('/readyz', {}, remote());
    expect(await plain.json()).toEqual({ ready: true });
    const authed = await app([]).request('/readyz', {}, remote({ authorization: 'Bearer secret-token' }));
    expect(await authed.json()).toEqual({ ready: true, failing: [], uptimeMs: expect.any(Number) });
    const wrong = await app([]).request('/readyz', {}, remote({ authorization: 'Bearer nope' }));
    expect(await wrong.json()).toEqual({ ready: true });
  });

  it('failing checks: 503 and the names of the failing checks', async () => {
    const res = await app(['sessions', 'config']).request('/readyz', {}, { incoming: { socket: { remoteAddress: '127.0.0.1' }, headers: {} } });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, failing: ['sessions', 'config'], uptimeMs: expect.any(Number) });
  });
});
