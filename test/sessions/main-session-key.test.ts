// One source for the main session key: with `session.mainKey` set, hello-ok's sessionDefaults,
// agents.list, runs started without a session (and the alias "main") and /tools/invoke all agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, httpTestConfig, postJson } from '../http/http-gateway.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, collectRun, uniqueKey } from '../chat/chat-kit.js';

let gw: RunningGateway;
let ws: RawSocket;
let hello: any;

beforeAll(async () => {
  gw = await startInProcess(httpTestConfig({ session: { mainKey: ' Home ' }, agents: { list: [{ id: 'ops', default: true }, { id: 'main' }] } }));
  gw.gateway!.services.agents.tools.register({
    name: 'test_where',
    description: 'Says which session it runs in',
    parameters: z.strictObject({}),
    run: (_args, ctx) => ({ sessionKey: ctx.sessionKey, agentId: ctx.agentId }),
  });
  const opened = await openReady(gw.url, gw.token);
  ws = opened.socket;
  hello = opened.hello;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
});

describe('session.mainKey', () => {
  it('hello-ok sessionDefaults and agents.list name the configured key (trimmed, lower case) under the default agent', async () => {
    expect(hello.snapshot.sessionDefaults).toEqual({ defaultAgentId: 'ops', mainKey: 'home', mainSessionKey: 'agent:ops:home', scope: 'per-sender' });
    const agents = await call(ws, 'agents.list', {});
    expect(agents.payload).toMatchObject({ defaultId: 'ops', mainKey: 'home', scope: 'per-sender' });
  });

  it('a run that names no session, and chat.send to the alias "main", run in that main session', async () => {
    const key = uniqueKey('nosession');
    ws.send({ type: 'req', id: key, method: 'agent', params: { message: 'where am I', idempotencyKey: key } });
    const run = await collectRun(ws, key);
    expect(run.terminal.payload.sessionKey).toBe('agent:ops:home');
    const viaAlias = await chatSend(ws, 'main', 'and now?');
    expect(viaAlias.ok).toBe(true);
    const second = await collectRun(ws, viaAlias.payload.runId);
    expect(second.terminal.payload.sessionKey).toBe('agent:ops:home');
    const forOps = await chatSend(ws, 'main', 'per agent', uniqueKey('agent'), { agentId: 'main' });
    expect((await collectRun(ws, forOps.payload.runId)).terminal.payload.sessionKey).toBe('agent:main:home');
    const history = await call(ws, 'chat.history', { sessionKey: 'agent:ops:home' });
    expect(history.payload.messages.filter((m: { role: string }) => m.role === 'user')).toHaveLength(2);
  });

  it('/tools/invoke without a session (or with "main") runs in the same main session', async () => {
    for (const body of [{ tool: 'test_where' }, { tool: 'test_where', sessionKey: 'main' }]) {
      const res = await postJson(`${gw.httpUrl}/tools/invoke`, body, bearer(gw.token));
      expect(await res.json()).toEqual({ ok: true, result: { sessionKey: hello.snapshot.sessionDefaults.mainSessionKey, agentId: 'ops' } });
    }
  });
});
