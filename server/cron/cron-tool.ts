// The `cron` agent tool (upstream has one): status, list, runs, add, update, remove and run, each a
// cron.* call through an in-process caller with the scopes of whoever started the agent run — so a
// run started with read scope can only look, and a cron job's own run (write scope) cannot create
// jobs. Dangerous: denied over HTTP (/tools/invoke, the OpenAI endpoints) unless gateway.tools.allow names it.
import { z } from 'zod';
import type { OperatorScope } from '../../contract/define.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { ToolCallContext } from '../tools/tool-types.js';

const JsonObject = z.record(z.string(), z.unknown());

const CronToolArgs = z.strictObject({
  action: z.enum(['status', 'list', 'runs', 'add', 'update', 'remove', 'run']),
  /** The job, for update, remove, run and runs. */
  jobId: z.string().min(1).max(128).optional(),
  /** cron.add params (name, schedule, payload, …); agentId and sessionKey default to this run's. */
  job: JsonObject.optional(),
  /** cron.update patch. */
  patch: JsonObject.optional(),
  mode: z.enum(['due', 'force']).optional(),
  includeDisabled: z.boolean().optional(),
  query: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
type CronToolArgs = z.infer<typeof CronToolArgs>;

/**
 * The run's own scopes. An HTTP caller holds the gateway's shared secret (full operator, as upstream),
 * and reaches this tool only when gateway.tools.allow names it; anything else without scopes may only read.
 */
function scopesOf(ctx: ToolCallContext): OperatorScope[] {
  if (ctx.caller.scopes) return [...ctx.caller.scopes];
  return ctx.caller.kind === 'http' ? ['operator.read', 'operator.write', 'operator.admin'] : ['operator.read'];
}

function needJobId(args: CronToolArgs): string {
  if (!args.jobId) throw new Error(`action "${args.action}" needs jobId; list the jobs with action "list"`);
  return args.jobId;
}

export function registerCronTool(tools: ToolRegistry, rt: GatewayRuntime): void {
  tools.register({
    name: 'cron',
    label: 'Cron',
    group: 'automation',
    dangerous: true,
    description:
      'Schedules work for later: list jobs, add one (schedule {kind:"at",at:ISO} | {kind:"every",everyMs} | {kind:"cron",expr,tz?}; payload {kind:"agentTurn",message} or {kind:"systemEvent",text} with sessionTarget "main"), update, remove, run now, or read its runs.',
    parameters: CronToolArgs,
    async run(args, ctx) {
      const caller = rt.createCaller({ id: `tool:cron:${ctx.agentId}`, scopes: scopesOf(ctx) });
      const options = { signal: ctx.signal };
      try {
        switch (args.action) {
          case 'status':
            return await caller.call('cron.status', {}, options);
          case 'list': {
            const params: Record<string, unknown> = {};
            if (args.includeDisabled !== undefined) params.includeDisabled = args.includeDisabled;
            if (args.query) params.query = args.query;
            if (args.limit) params.limit = args.limit;
            return await caller.call('cron.list', params, options);
          }
          case 'runs':
            return await caller.call('cron.runs', args.jobId ? { jobId: args.jobId, limit: args.limit ?? 20 } : { limit: args.limit ?? 20 }, options);
          case 'add': {
            if (!args.job) throw new Error('action "add" needs job: { name, schedule, payload, … }');
            const job: Record<string, unknown> = { agentId: ctx.agentId, ...args.job };
            if (ctx.sessionKey && job.sessionKey === undefined) job.sessionKey = ctx.sessionKey;
            return await caller.call('cron.add', job, options);
          }
          case 'update':
            if (!args.patch) throw new Error('action "update" needs patch');
            return await caller.call('cron.update', { jobId: needJobId(args), patch: args.patch }, options);
          case 'remove':
            return await caller.call('cron.remove', { jobId: needJobId(args) }, options);
          case 'run':
            return await caller.call('cron.run', { jobId: needJobId(args), ...(args.mode ? { mode: args.mode } : {}) }, options);
        }
      } finally {
        caller.close();
      }
    },
  });
}
