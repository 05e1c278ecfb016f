// `openclaw cron add`: a job from upstream's flags — a schedule, one payload (--message for an
// agent turn, --system-event for the main session), the session target and delivery.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { relativeTime } from '../client/relative-time.js';
import { describeSchedule, scheduleFromFlags } from './cron-schedule.js';

type CronAddParams = GatewayMethods['cron.add']['params'];
type Delivery = NonNullable<CronAddParams['delivery']>;

const USAGE = `Usage: openclaw cron add [<name>] (--at <when> | --every <duration> | --cron <expr>)
                        (--message <text> | --system-event <text>) [options]

Adds a scheduled job and prints it.

Schedule:
  --at <when>             once: an ISO time (without an offset it is UTC, or --tz) or a duration from now (20m)
  --every <duration>      repeatedly: 30s, 10m, 1h30m, 2d
  --cron <expr>           a cron expression (5 fields, or 6 with seconds)
  --tz <iana>             time zone of --cron (default: the gateway's) and of an offset-less --at
  --stagger <duration>    spread --cron runs over this window;  --exact: no spreading

Payload (one):
  --message <text>        an agent turn (isolated session by default)
  --system-event <text>   a system event for the main session

Job:
  --name <name>           the job's name (or the first argument)
  --description <text>    a description
  --agent <id>            the agent (default: the default agent)
  --session <target>      main | isolated | current | session:<key>
  --session-key <key>     the session key for routing
  --wake <mode>           now (default) | next-heartbeat
  --model <id>            model for agent turns;  --thinking <level>;  --timeout-seconds <n>
  --disabled              create it disabled
  --delete-after-run      delete a one-shot job after it ran (the default for --at);  --keep-after-run

Delivery (agent turns):
  --announce              send the final text to a chat (the default for isolated jobs)
  --no-deliver            keep the output internal
  --webhook <url>         POST the finished payload to a URL
  --channel <id>          delivery channel (default: last);  --to <dest>;  --account <id>
  --best-effort-deliver   do not fail the job when delivery fails

${CLIENT_OPTIONS_HELP}`;

export const CRON_ADD_OPTIONS = {
  name: { type: 'string' },
  description: { type: 'string' },
  at: { type: 'string' },
  every: { type: 'string' },
  cron: { type: 'string' },
  tz: { type: 'string' },
  stagger: { type: 'string' },
  exact: { type: 'boolean' },
  message: { type: 'string' },
  'system-event': { type: 'string' },
  agent: { type: 'string' },
  session: { type: 'string' },
  'session-key': { type: 'string' },
  wake: { type: 'string' },
  model: { type: 'string' },
  thinking: { type: 'string' },
  'timeout-seconds': { type: 'string' },
  disabled: { type: 'boolean' },
  'delete-after-run': { type: 'boolean' },
  'keep-after-run': { type: 'boolean' },
  announce: { type: 'boolean' },
  deliver: { type: 'boolean' },
  'no-deliver': { type: 'boolean' },
  webhook: { type: 'string' },
  channel: { type: 'string' },
  to: { type: 'string' },
  account: { type: 'string' },
  'best-effort-deliver': { type: 'boolean' },
} as const;

type Flags = { readonly [K in keyof typeof CRON_ADD_OPTIONS]?: (typeof CRON_ADD_OPTIONS)[K]['type'] extends 'string' ? string : boolean };

const SESSION_TARGET = /^(main|isolated|current|session:.+)$/;

function payloadOf(f: Flags, positionalMessage: string | undefined): CronAddParams['payload'] {
  const message = f.message ?? positionalMessage;
  if (f.message !== undefined && positionalMessage !== undefined) throw usageError('cron add', 'pass the message either as an argument or with --message, not both');
  const chosen = [message, f['system-event']].filter((v) => v !== undefined && v.trim() !== '').length;
  if (chosen !== 1) throw usageError('cron add', 'choose exactly one payload: --message <text> or --system-event <text>');
  if (f['system-event'] !== undefined) return { kind: 'systemEvent', text: f['system-event'] };
  const payload: Extract<CronAddParams['payload'], { kind: 'agentTurn' }> = { kind: 'agentTurn', message: message! };
  if (f.model) payload.model = f.model;
  if (f.thinking) payload.thinking = f.thinking;
  if (f['timeout-seconds'] !== undefined) {
    const n = Number(f['timeout-seconds']);
    if (!/^\d+$/.test(f['timeout-seconds']) || n < 1) throw usageError('cron add', `--timeout-seconds must be a whole number of seconds (got "${f['timeout-seconds']}")`);
    payload.timeoutSeconds = n;
  }
  return payload;
}

function deliveryOf(f: Flags, isolated: boolean): Delivery | undefined {
  const announce = f.announce === true || f.deliver === true;
  const modes = [announce, f['no-deliver'] === true, f.webhook !== undefined].filter(Boolean).length;
  if (modes > 1) throw usageError('cron add', 'choose at most one of --announce, --no-deliver or --webhook');
  const chat = f.channel !== undefined || f.to !== undefined || f.account !== undefined;
  if ((modes > 0 || chat) && !isolated) throw usageError('cron add', '--announce, --no-deliver, --webhook, --channel, --to and --account need an agent turn (--message) in a non-main session');
  if (f.webhook !== undefined) {
    if (chat) throw usageError('cron add', '--webhook cannot be combined with --channel, --to or --account');
    if (!/^https?:\/\//.test(f.webhook)) throw usageError('cron add', `--webhook must be an http(s) URL (got "${f.webhook}")`);
    return { mode: 'webhook', to: f.webhook, ...(f['best-effort-deliver'] ? { bestEffort: true } : {}) };
  }
  if (!isolated) return undefined;
  const delivery: Extract<Delivery, { mode: 'none' | 'announce' }> = { mode: f['no-deliver'] ? 'none' : 'announce' };
  if (delivery.mode === 'announce') {
    delivery.channel = f.channel ?? 'last';
    if (f.to) delivery.to = f.to;
    if (f.account) delivery.accountId = f.account;
    if (f['best-effort-deliver']) delivery.bestEffort = true;
  }
  return delivery;
}

export function cronAddParams(f: Flags, positionals: readonly string[]): CronAddParams {
  if (positionals.length > 2) throw usageError('cron add', `unexpected argument "${positionals[2]}"`);
  const [positionalName, positionalMessage] = positionals;
  if (f.name !== undefined && positionalName !== undefined && f.name !== positionalName) throw usageError('cron add', 'pass the name either as an argument or with --name, not both');
  const name = (f.name ?? positionalName ?? '').trim();
  if (!name) throw usageError('cron add', 'the job needs a name: "openclaw cron add <name> …" or --name <name>');
  const schedule = scheduleFromFlags(f);
  const payload = payloadOf(f, positionalMessage);
  const sessionTarget = f.session ?? (payload.kind === 'agentTurn' ? 'isolated' : 'main');
  if (!SESSION_TARGET.test(sessionTarget)) throw usageError('cron add', '--session must be main, isolated, current or session:<key>');
  if (sessionTarget === 'main' && payload.kind !== 'systemEvent') throw usageError('cron add', 'a main-session job takes --system-event; use --message with --session isolated');
  if (sessionTarget !== 'main' && payload.kind !== 'agentTurn') throw usageError('cron add', 'an isolated job takes --message; --system-event is for --session main');
  if (f['delete-after-run'] && f['keep-after-run']) throw usageError('cron add', 'use either --delete-after-run or --keep-after-run');
  if (f.wake !== undefined && f.wake !== 'now' && f.wake !== 'next-heartbeat') throw usageError('cron add', '--wake must be now or next-heartbeat');
  const params: CronAddParams = { name, schedule, payload, sessionTarget };
  if (f.description) params.description = f.description;
  if (f.agent) params.agentId = f.agent;
  if (f['session-key']) params.sessionKey = f['session-key'];
  if (f.wake) params.wakeMode = f.wake as 'now' | 'next-heartbeat';
  if (f.disabled) params.enabled = false;
  if (f['delete-after-run']) params.deleteAfterRun = true;
  if (f['keep-after-run']) params.deleteAfterRun = false;
  const delivery = deliveryOf(f, sessionTarget !== 'main' && payload.kind === 'agentTurn');
  if (delivery) params.delivery = delivery;
  return params;
}

export function runCronAddCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'cron add', positionals: true, options: CRON_ADD_OPTIONS, usage: usageWithMethods(USAGE, ['cron.add']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const params = cronAddParams(values, positionals);
      const job = await withGateway(target, { timeoutMs }, (client) => client.cron.add(params, { timeoutMs }));
      if (out.json) return void out.printJson(job);
      out.line(`${out.color.green('added')} ${job.id} "${job.name}": ${describeSchedule(job.schedule)}${job.state.nextRunAtMs ? `, next run ${relativeTime(job.state.nextRunAtMs)}` : ''}`);
    },
  );
}
