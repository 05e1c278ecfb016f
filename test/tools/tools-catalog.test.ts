// Tool discovery: tools.catalog over WebSocket and GET /tools/catalog list every tool with its
// argument schema, whether the agent's runs get it, and whether /tools/invoke may call it (with the
// key that would allow it); an unknown tool's 404 names the close matches; every /tools/invoke
// error, 401 included, has the {ok:false, error:{type, message}} shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolsInvokeError } from '../../contract/schemas/tools-invoke.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { bearer, postJson, startHttpGateway } from '../http/http-gateway.js';

let gw: RunningGateway;
beforeAll(async () => {
  gw = await startHttpGateway({ agents: { list: [{ id: 'main', default: true }, { id: 'ops', tools: { deny: ['catalog_echo'] } }] } });
  const tools = gw.gateway!.services.agents.tools;
  tools.register({ name: 'catalog_echo', group: 'testing', description: 'Echoes', parameters: z.strictObject({ text: z.string() }), run: (a) => a.text });
  tools.register({ name: 'catalog_danger', group: 'testing', description: 'Changes things', dangerous: true, parameters: z.strictObject({}), run: () => 'did it' });
});
afterAll(() => gw?.stop());

const toolIn = (catalog: { groups: { tools: { id: string }[] }[] }, id: string) => catalog.groups.flatMap((g) => g.tools).find((t) => t.id === id);

describe('tool discovery', () => {
  it('tools.catalog lists the tools with schemas and policy, per agent', async () => {
    const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    const catalog = (await call(socket, 'tools.catalog', {})).payload;
    expect(catalog.agentId).toBe('main');
    expect(toolIn(catalog, 'catalog_echo')).toMatchObject({
      parameters: { type: 'object', properties: { text: { type: 'string' } } },
      agentAllowed: true,
      http: { allowed: true },
    });
    expect(toolIn(catalog, 'catalog_danger')).toMatchObject({ dangerous: true, agentAllowed: true, http: { allowed: false, configKey: 'gateway.tools.allow' } });
    expect(toolIn(catalog, 'sessions_list')).toBeDefined();
    const ops = (await call(socket, 'tools.catalog', { agentId: 'ops' })).payload;
    expect(toolIn(ops, 'catalog_echo')).toMatchObject({ agentAllowed: false, http: { allowed: false } });
    expect((await call(socket, 'tools.catalog', { agentId: 'nobody' })).error?.details?.code).toBe('AGENT_NOT_FOUND');
    socket.close();
  });

  it('GET /tools/catalog serves the same catalog over HTTP', async () => {
    const res = await fetch(`${gw.httpUrl}/tools/catalog`, { headers: bearer(gw.token) });
    expect(res.status).toBe(200);
    const catalog = await res.json();
    expect(toolIn(catalog, 'catalog_danger')).toMatchObject({ http: { allowed: false } });
    expect((await fetch(`${gw.httpUrl}/tools/catalog?agentId=nobody`, { headers: bearer(gw.token) })).status).toBe(404);
    const anonymous = await fetch(`${gw.httpUrl}/tools/catalog`);
    expect(anonymous.status).toBe(401);
  });

  it('an unknown tool is a 404 that names the close matches', async () => {
    const res = await postJson(`${gw.httpUrl}/tools/invoke`, { tool: 'catalog_ecko', args: { text: 'x' } }, bearer(gw.token));
    expect(res.status).toBe(404);
    const body = ToolsInvokeError.parse(await res.json());
    expect(body.error.message).toMatch(/^Tool not available: catalog_ecko; did you mean catalog_echo\?/);
  });

  it('/tools/invoke errors all share one envelope, the 401 included', async () => {
    const unauthorized = await postJson(`${gw.httpUrl}/tools/invoke`, { tool: 'catalog_echo' }, { authorization: 'Bearer wrong' });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ ok: false, error: { type: 'unauthorized', message: 'Unauthorized' } });
    const missing = await postJson(`${gw.httpUrl}/tools/invoke`, {}, bearer(gw.token));
    expect(ToolsInvokeError.parse(await missing.json()).error.message).toBe('tools.invoke requires body.tool');
  });
});
