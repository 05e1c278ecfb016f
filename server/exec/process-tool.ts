// The `process` agent tool: lists, polls and kills the agent's background exec commands.
import { z } from 'zod';
import type { ToolDefinition } from '../tools/tool-types.js';
import type { BackgroundProcesses } from './background-processes.js';

const ProcessArgs = z.strictObject({
  action: z.enum(['list', 'poll', 'kill']).describe('list: all of this agent\'s processes; poll: status and new output; kill: end it.'),
  processId: z.string().min(1).max(64).optional().describe('For poll and kill.'),
  stdoutOffset: z.number().int().min(0).optional().describe('poll: output from here on (the `next` of the previous poll).'),
  stderrOffset: z.number().int().min(0).optional(),
});

export function processToolDefinition(processes: BackgroundProcesses): ToolDefinition<z.infer<typeof ProcessArgs>> {
  return {
    name: 'process',
    label: 'Background processes',
    group: 'exec',
    dangerous: true,
    description: 'Follows commands started by exec with background: true: list them, poll one for its status and new output (pass back `next` as the offsets), or kill it.',
    parameters: ProcessArgs,
    run: async (args, ctx) => {
      if (args.action === 'list') return { processes: processes.list(ctx.agentId) };
      if (!args.processId) throw new Error(`${args.action} needs a processId; list shows them`);
      if (args.action === 'kill') return processes.kill(ctx.agentId, args.processId);
      const offsets: { stdout?: number; stderr?: number } = {};
      if (args.stdoutOffset !== undefined) offsets.stdout = args.stdoutOffset;
      if (args.stderrOffset !== undefined) offsets.stderr = args.stderrOffset;
      return processes.poll(ctx.agentId, args.processId, offsets);
    },
  };
}
