// The agent `nodes` tool: lists nodes and runs commands on them through node.invoke (an in-process
// caller, so the command policy, approvals and errors are the method's). Dangerous: refused over
// HTTP unless gateway.tools.allow names it.
import { z } from 'zod';
import { GatewayError } from '../core/gateway-error.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import { ToolError } from '../tools/tool-error.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

const NodesArgs = z.strictObject({
  action: z.enum(['list', 'describe', 'run', 'which', 'notify', 'invoke']).describe('list | describe | run (system.run) | which (system.which) | notify (system.notify) | invoke (any allowed command)'),
  nodeId: z.string().min(1).max(256).optional().describe('The node (from list); required except for list.'),
  command: z.union([z.array(z.string().max(8192)).min(1).max(1024), z.string().min(1).max(256)]).optional().describe('run: the argv, e.g. ["uname","-a"]; invoke: the command name.'),
  cwd: z.string().max(4096).optional(),
  name: z.string().min(1).max(256).optional().describe('which: the program to look up.'),
  title: z.string().max(256).optional(),
  body: z.string().max(4096).optional(),
  params: z.record(z.string(), z.unknown()).optional().describe('invoke: the command params.'),
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});
type NodesArgs = z.infer<typeof NodesArgs>;

function invocation(args: NodesArgs): { command: string; params: Record<string, unknown> } {
  switch (args.action) {
    case 'run': {
      if (!Array.isArray(args.command)) throw new ToolError('invalid_args', 'nodes', 'run needs `command` as an argv array, e.g. ["ls","-la"]');
      return { command: 'system.run', params: { command: args.command, ...(args.cwd ? { cwd: args.cwd } : {}) } };
    }
    case 'which':
      if (!args.name) throw new ToolError('invalid_args', 'nodes', 'which needs `name`');
      return { command: 'system.which', params: { name: args.name } };
    case 'notify':
      return { command: 'system.notify', params: { title: args.title ?? 'OpenClaw', body: args.body ?? '' } };
    default:
      if (typeof args.command !== 'string') throw new ToolError('invalid_args', 'nodes', 'invoke needs `command` as a command name, e.g. "system.notify"');
      return { command: args.command, params: args.params ?? {} };
  }
}

export function registerNodesTool(tools: ToolRegistry, caller: () => InProcessCaller): () => void {
  return tools.register({
    name: 'nodes',
    label: 'Nodes',
    group: 'nodes',
    dangerous: true,
    description: 'Work with paired nodes (machines running `openclaw node run`): list them, describe one, run a command on one (argv, checked by the node\'s exec policy and approvals), find a program (which) or show a notification.',
    parameters: NodesArgs,
    async run(args, ctx) {
      try {
        if (args.action === 'list') return (await caller().call('node.list', {}, { signal: ctx.signal })).nodes;
        if (!args.nodeId) throw new ToolError('invalid_args', 'nodes', '`nodeId` is required (action list shows the nodes)');
        if (args.action === 'describe') return await caller().call('node.describe', { nodeId: args.nodeId }, { signal: ctx.signal });
        const { command, params } = invocation(args);
        if (command === 'system.run') {
          params.agentId = ctx.agentId;
          if (ctx.sessionKey) params.sessionKey = ctx.sessionKey;
        }
        const result = await caller().call(
          'node.invoke',
          { nodeId: args.nodeId, command, params, idempotencyKey: `tool:${ctx.runId ?? 'direct'}:${ctx.toolCallId}`, ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}) },
          { signal: ctx.signal },
        );
        return result.payload;
      } catch (error) {
        if (error instanceof GatewayError) throw new ToolError('execution_failed', 'nodes', error.message, { cause: error });
        throw error;
      }
    },
  });
}
