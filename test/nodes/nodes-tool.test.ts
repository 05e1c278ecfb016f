// The agent `nodes` tool against a real gateway and a real (SDK) node over WebSocket: list and
// describe, a command run on the node, the command policy's refusal, argument errors, and the HTTP
// rule that /tools/invoke refuses it unless gateway.tools.allow names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenClawClient } from '../../clients/openclaw-client.js';
import { ToolError } from '../../server/tools/tool-error.js';
import type { ToolRegistry } from '../../server/tools/tool-registry.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { bearer, postJson, startHttpGateway } from '../http/http-gateway.js';
import { operator, pairedSdkNode } from './node-kit.js';

describe('the nodes tool', () => {
  let gw: RunningGateway;
  let op: OpenClawClient;
  let tools: ToolRegistry;
  let node: Awaited<ReturnType<typeof pairedSdkNode>>;
  let calls = 0;
  // Each call its own toolCallId: the tool derives node.invoke's idempotency key from it.
  const nodes = (args: unknown) => tools.invoke('nodes', args, { agentId: 'main', caller: { kind: 'internal' }, toolCallId: `call-${++calls}` });
  const failure = (args: unknown) => nodes(args).then(() => undefined, (error: unknown) => error as ToolError);

  beforeAll(async () => {
    gw = await startHttpGateway({ gateway: { nodes: { allowCommands: ['test.echo', 'test.forbidden'], denyCommands: ['test.forbidden'] } } });
    tools = gw.gateway!.services.agents.tools;
    op = operator(gw.url, gw.token);
    await op.connect();
    node = await pairedSdkNode(gw.url, gw.token, op, {
      'test.echo': (params) => ({ echo: params }),
      'test.forbidden': () => ({ reached: true }),
    });
  });

  afterAll(async () => {
    node?.stop();
    op?.close();
    await gw?.stop();
  });

  it('lists and describes the connected node', async () => {
    const listed = (await nodes({ action: 'list' })) as { nodeId: string; connected: boolean }[];
    expect(listed).toContainEqual(expect.objectContaining({ nodeId: node.nodeId, connected: true }));
    expect(await nodes({ action: 'describe', nodeId: node.nodeId })).toMatchObject({ nodeId: node.nodeId, connected: true, displayName: 'sdk-node' });
  });

  it('runs a command on the node and returns its payload', async () => {
    expect(await nodes({ action: 'invoke', nodeId: node.nodeId, command: 'test.echo', params: { n: 7 } })).toEqual({ echo: { n: 7 } });
  });

  it('a denied command never reaches the node; the error names the policy', async () => {
    const error = await failure({ action: 'invoke', nodeId: node.nodeId, command: 'test.forbidden' });
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ kind: 'execution_failed' });
    expect(error!.message).toMatch(/denyCommands|not allowed/i);
  });

  it('bad arguments and unknown nodes are typed tool errors', async () => {
    expect(await failure({ action: 'run', nodeId: node.nodeId })).toMatchObject({ kind: 'invalid_args' });
    expect(await failure({ action: 'describe' })).toMatchObject({ kind: 'invalid_args' });
    expect(await failure({ action: 'describe', nodeId: 'no-such-node' })).toMatchObject({ kind: 'execution_failed' });
  });

  it('/tools/invoke refuses it unless gateway.tools.allow names it', async () => {
    const res = await postJson(`${gw.httpUrl}/tools/invoke`, { tool: 'nodes', args: { action: 'list' } }, bearer(gw.token));
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain('gateway.tools.allow');
  });
});
