// Regression: values that throw when made strings ({"length":{"toString":1}}) and nesting deep
// enough to overflow a recursive validator once killed the gateway process (one unauthenticated
// frame was enough) or answered HTTP 500. Each reproducer runs against a real CLI gateway, which
// must answer it as a bad request and stay up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, connectParams, openRaw, openReady } from '../helpers/raw-socket.js';
import { bearer, postJson } from '../http/http-gateway.js';

const HOSTILE = { length: { toString: 1 } };
const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('hostile values never crash the gateway', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startCli();
  });
  afterAll(() => gw?.stop());

  const expectAlive = async (): Promise<void> => {
    expect(gw.child!.exitCode).toBeNull();
    const { socket } = await openReady(gw.url, gw.token);
    expect((await call(socket, 'health', {})).ok).toBe(true);
    socket.close();
  };

  const preHandshake = [
    ['client.version', connectParams({ client: { id: 'cli', version: HOSTILE, platform: 'linux', mode: 'cli' } })],
    ['scopes', connectParams({ scopes: HOSTILE })],
    ['auth.token', connectParams({ auth: { token: HOSTILE } })],
    ['client.id', connectParams({ client: { id: { toString: 1 }, version: '1', platform: 'linux', mode: 'cli' } })],
  ] as const;

  it.each(preHandshake)('connect with a hostile %s: INVALID_REQUEST and close 1008', async (_field, params) => {
    const socket = await openRaw(gw.url);
    await socket.next();
    socket.send({ type: 'req', id: 'k1', method: 'connect', params });
    const res = await socket.waitFor((f) => f.type === 'res');
    expect(res.ok).toBe(false);
    expect(res.error!.code).toBe('INVALID_REQUEST');
    expect((await socket.closed).code).toBe(1008);
    await expectAlive();
  });

  it('a hostile chat.history sessionKey after the handshake: INVALID_PARAMS, the socket stays usable', async () => {
    const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    const res = await call(socket, 'chat.history', { sessionKey: HOSTILE });
    expect(res.error?.code).toBe('INVALID_REQUEST');
    expect(res.error?.details?.code).toBe('INVALID_PARAMS');
    expect((await call(socket, 'health', {})).ok).toBe(true);
    socket.close();
  });

  it('params nested 200,000 levels deep: INVALID_PARAMS naming the depth limit', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    socket.sendText(`{"type":"req","id":"d1","method":"chat.send","params":{"sessionKey":"main","idempotencyKey":"x","message":"hi","attachments":${deep(200_000)}}}`);
    const res = await socket.waitFor((f) => f.type === 'res' && f.id === 'd1');
    expect(res.error?.code).toBe('INVALID_REQUEST');
    expect(res.error?.message).toMatch(/nested deeper than/);
    socket.close();
    await expectAlive();
  });

  const httpCases: [string, string, unknown][] = [
    ['/v1/chat/completions', 'content', { model: 'openclaw', messages: [{ role: 'user', content: HOSTILE }] }],
    ['/v1/chat/completions', 'model', { model: HOSTILE, messages: [{ role: 'user', content: 'hi' }] }],
    ['/v1/responses', 'input', { model: 'openclaw', input: HOSTILE }],
    ['/tools/invoke', 'tool', { tool: HOSTILE }],
    ['/v1/embeddings', 'input', { model: 'openclaw', input: HOSTILE }],
  ];

  it.each(httpCases)('POST %s with a hostile %s: 400, not 500', async (path, _field, body) => {
    const res = await postJson(`${gw.httpUrl}${path}`, body, bearer(gw.token));
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    await expectAlive();
  });

  it.each([
    ['/v1/chat/completions', 'tools[].function.parameters', (d: string) => `{"model":"openclaw","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"a":${d}}}}]}`],
    ['/v1/responses', 'text.format.schema', (d: string) => `{"model":"openclaw","input":"hi","text":{"format":{"type":"json_schema","name":"x","schema":{"a":${d}}}}}`],
  ] as const)('POST %s with %s nested 200,000 levels: 400', async (path, _field, body) => {
    const res = await postJson(`${gw.httpUrl}${path}`, body(deep(200_000)), bearer(gw.token));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/nested deeper than/);
  });
});
