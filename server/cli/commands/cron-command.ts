// `openclaw cron list|status|add|run|rm|runs|enable|disable`: the gateway's scheduler, with
// upstream's subcommands and flags.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CliError } from '../cli-error.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { relativeTime, shortDuration } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatFields, formatTable } from '../client/text-table.js';
import { runCronAddCommand } from './cron-add-command.js';
import { describeSchedule } from './cron-schedule.js';

type CronJob = GatewayMethods['cron.list']['result']['jobs'][number];
type RunEntry = GatewayMethods['cron.runs']['result']['entries'][number];

const help = (usage: string): string => `${usage}\n\n${CLIENT_OPTIONS_HELP}`;

const LIST_USAGE = help(`Usage: openclaw cron list [--all] [--agent <id>] [options]

Scheduled jobs: id, name, schedule, next and last run.

Options:
  --all              include disabled jobs
  --agent <id>       only this agent's jobs`);

const STATUS_USAGE = help(`Usage: openclaw cron status [options]

Whether the scheduler runs, how many jobs it has and when it next wakes.`);

const RUN_USAGE = help(`Usage: openclaw cron run <id> [--due] [options]

Runs a job now (its outcome appears in "openclaw cron runs --id <id>").

Options:
  --due              only if it is due (the behaviour of older versions)`);

const RM_USAGE = help(`Usage: openclaw cron rm <id> [options]

Deletes a job.`);

const RUNS_USAGE = help(`Usage: openclaw cron runs [--id <id> | <id>] [--limit <n>] [options]

The run log: when each run happened, how it ended and what it delivered (newest first).

Options:
  --id <id>          one job's runs (default: every job's)
  --limit <n>        at most this many entries (default 50, at most 200)`);

const TOGGLE_USAGE = (verb: 'enable' | 'disable'): string => help(`Usage: openclaw cron ${verb} <id> [options]

${verb === 'enable' ? 'Enables' : 'Disables'} a job.`);

function jobId(positionals: readonly string[], command: string): string {
  const [id, extra] = positionals;
  if (!id) throw usageError(command, 'name the job id ("openclaw cron list" shows them)');
  if (extra !== undefined) throw usageError(command, `unexpected argument "${extra}"`);
  return id;
}

function lastRun(job: CronJob, out: CliOutput): string {
  const s = job.state;
  if (s.runningAtMs) return out.color.cyan(`running since ${relativeTime(s.runningAtMs)}`);
  if (!s.lastRunAtMs) return out.color.dim('never');
  const status = s.lastRunStatus ?? s.lastStatus ?? '';
  const colored = status === 'error' ? out.color.red(status) : status === 'ok' ? out.color.green(status) : status;
  return `${colored} ${relativeTime(s.lastRunAtMs)}`.trim();
}

function renderJobs(out: CliOutput, jobs: readonly CronJob[]): void {
  if (!jobs.length) return void out.line(out.color.dim('no jobs ("openclaw cron add --help" shows how to add one)'));
  out.line(
    formatTable(
      [{ header: 'ID', maxWidth: 36 }, { header: 'NAME', maxWidth: 30 }, { header: 'SCHEDULE', maxWidth: 40 }, { header: 'NEXT' }, { header: 'LAST' }, { header: 'TARGET' }, { header: 'ENABLED' }],
      jobs.map((j) => [j.id, j.name, describeSchedule(j.schedule), relativeTime(j.state.nextRunAtMs), lastRun(j, out), `${j.agentId ?? 'default'}/${j.sessionTarget}`, j.enabled ? 'yes' : out.color.dim('no')]),
      out.color,
      out.columns,
    ),
  );
}

function renderRuns(out: CliOutput, entries: readonly RunEntry[]): void {
  if (!entries.length) return void out.line(out.color.dim('no runs yet'));
  out.line(
    formatTable(
      [{ header: 'WHEN' }, { header: 'JOB', maxWidth: 30 }, { header: 'STATUS' }, { header: 'TOOK', align: 'right' }, { header: 'DELIVERY' }, { header: 'SUMMARY', flex: true }],
      entries.map((e) => [
        relativeTime(e.runAtMs ?? e.ts),
        e.jobName ?? e.jobId,
        e.status === 'error' ? out.color.red(e.status) : (e.status ?? ''),
        e.durationMs !== undefined ? shortDuration(e.durationMs) : '',
        e.deliveryStatus ?? '',
        (e.error ?? e.summary ?? '').replace(/\s+/g, ' '),
      ]),
      out.color,
      out.columns,
    ),
  );
}

function listJobs(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'cron list', options: { all: { type: 'boolean' }, agent: { type: 'string' } }, usage: usageWithMethods(LIST_USAGE, ['cron.list']) },
    async ({ values, out, target, timeoutMs }) => {
      const jobs: CronJob[] = [];
      const result = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, async (client) => {
        // Every page (200 a call), so --agent filters all of them.
        for (let offset = 0; ; ) {
          const page = await client.cron.list({ includeDisabled: values.all === true, limit: 200, offset }, { timeoutMs });
          jobs.push(...page.jobs);
          if (!page.hasMore || page.nextOffset === null || jobs.length >= 10_000) return page;
          offset = page.nextOffset;
        }
      });
      const shown = values.agent ? jobs.filter((j) => (j.agentId ?? '') === values.agent) : jobs;
      if (out.json) out.printJson({ ...result, jobs: shown, total: values.agent ? shown.length : result.total, offset: 0, hasMore: false, nextOffset: null });
      else renderJobs(out, shown);
    },
  );
}

function cronStatus(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'cron status', usage: usageWithMethods(STATUS_USAGE, ['cron.status']) }, async ({ out, target, timeoutMs }) => {
    const status = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.cron.status({}, { timeoutMs }));
    if (out.json) return void out.printJson(status);
    out.line(
      formatFields(
        [
          ['scheduler', status.enabled ? out.color.green('running') : out.color.yellow('disabled (cron.enabled is false)')],
          ['jobs', String(status.jobs)],
          ['next wake', status.nextWakeAtMs ? relativeTime(status.nextWakeAtMs) : out.color.dim('nothing scheduled')],
          ['store', status.storePath],
        ],
        out.color,
      ),
    );
  });
}

function runJob(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'cron run', positionals: true, options: { due: { type: 'boolean' } }, usage: usageWithMethods(RUN_USAGE, ['cron.run']) }, async ({ values, positionals, out, target, timeoutMs }) => {
    const id = jobId(positionals, 'cron run');
    const result = await withGateway(target, { timeoutMs }, (client) => client.cron.run({ id, mode: values.due ? 'due' : 'force' }, { timeoutMs }));
    if (out.json) return void out.printJson(result);
    if ('enqueued' in result) out.line(`${out.color.green('started')} ${id}: run ${result.runId} ("openclaw cron runs --id ${id}" shows how it ends)`);
    else out.line(`${out.color.yellow('not run')} ${id}: ${result.reason}`);
  });
}

function removeJob(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'cron rm', positionals: true, usage: usageWithMethods(RM_USAGE, ['cron.remove']) }, async ({ positionals, out, target, timeoutMs }) => {
    const id = jobId(positionals, 'cron rm');
    const result = await withGateway(target, { timeoutMs }, (client) => client.cron.remove({ id }, { timeoutMs }));
    // The gateway answers an unknown id with removed:false; a script deleting a job it named wants to hear it.
    if (!result.removed) throw new CliError(`no job "${id}" to remove ("openclaw cron list --all" shows them)`);
    if (out.json) out.printJson({ ...result, id });
    else out.line(`${out.color.green('removed')} ${id}`);
  });
}

function listRuns(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'cron runs', positionals: true, options: { id: { type: 'string' }, limit: { type: 'string' } }, usage: usageWithMethods(RUNS_USAGE, ['cron.runs']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      if (values.id !== undefined && positionals.length) throw usageError('cron runs', 'pass the job id once (--id <id> or as the argument)');
      const id = values.id ?? (positionals.length ? jobId(positionals, 'cron runs') : undefined);
      let limit = 50;
      if (values.limit !== undefined) {
        limit = Number(values.limit);
        if (!/^\d+$/.test(values.limit) || limit < 1 || limit > 200) throw usageError('cron runs', `--limit must be a whole number from 1 to 200 (got "${values.limit}")`);
      }
      const params: GatewayMethods['cron.runs']['params'] = id ? { scope: 'job', id, limit, sortDir: 'desc' } : { scope: 'all', limit, sortDir: 'desc' };
      const result = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.cron.runs(params, { timeoutMs }));
      if (out.json) out.printJson(result);
      else renderRuns(out, result.entries);
    },
  );
}

function toggleJob(args: string[], enabled: boolean): Promise<number> {
  const verb = enabled ? 'enable' : 'disable';
  return runClientCommand(args, { name: `cron ${verb}`, positionals: true, usage: usageWithMethods(TOGGLE_USAGE(verb), ['cron.update']) }, async ({ positionals, out, target, timeoutMs }) => {
    const id = jobId(positionals, `cron ${verb}`);
    const job = await withGateway(target, { timeoutMs }, (client) => client.cron.update({ id, patch: { enabled } }, { timeoutMs }));
    if (out.json) out.printJson(job);
    else out.line(`${out.color.green(enabled ? 'enabled' : 'disabled')} ${job.id} "${job.name}"`);
  });
}

const CRON: SubcommandGroup = {
  name: 'cron',
  summary: "The gateway's scheduled jobs.",
  subcommands: {
    list: { summary: 'jobs with their schedule, next and last run', run: listJobs },
    status: { summary: 'whether the scheduler runs and when it next wakes', run: cronStatus },
    add: { summary: 'add a job', run: runCronAddCommand },
    run: { summary: 'run a job now', run: runJob },
    rm: { summary: 'delete a job', run: removeJob },
    runs: { summary: 'the run log', run: listRuns },
    enable: { summary: 'enable a job', run: (args) => toggleJob(args, true) },
    disable: { summary: 'disable a job', run: (args) => toggleJob(args, false) },
  },
  aliases: { ls: 'list', remove: 'rm', delete: 'rm' },
};

export function runCronCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(CRON, args);
}
