// `openclaw approvals list|allow|deny|watch`: the exec approval requests waiting for a decision;
// `get` and `allowlist` (the standing rules) live in approvals-rules-command.ts.
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import { connectGateway, withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { relativeTime } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatTable } from '../client/text-table.js';
import { shortId } from './approval-card.js';
import { runApprovalsAllowlist, runApprovalsGet } from './approvals-rules-command.js';
import { ApprovalWatcher } from './approvals-watch.js';

const help = (usage: string): string => `${usage}\n\n${CLIENT_OPTIONS_HELP}`;

const LIST_USAGE = help(`Usage: openclaw approvals list [options]

Exec approval requests waiting for a decision: id, command, agent, and when each expires.`);

const ALLOW_USAGE = help(`Usage: openclaw approvals allow <id> [--always] [options]

Allows a pending request (an id prefix is enough). --always also adds a rule so the same
command runs without asking next time (not offered for shells and inline code).

Options:
  --always           allow-always instead of allow-once`);

const DENY_USAGE = help(`Usage: openclaw approvals deny <id> [options]

Denies a pending request (an id prefix is enough).`);

const WATCH_USAGE = help(`Usage: openclaw approvals watch [options]

Asks in this terminal about every exec approval request, those pending now and each new one as
it arrives: o allows once, a allows always, d denies, s skips. A request decided elsewhere or
expired while asked about is withdrawn. With --json it asks nothing and prints one JSON line per
event: {"type":"watching"} once connected, then "requested" and "resolved". Ctrl-C stops.`);

const APPROVALS_SCOPE = ['operator.approvals'];

function list(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'approvals list', usage: usageWithMethods(LIST_USAGE, ['exec.approvals.list']) }, async ({ out, target, timeoutMs }) => {
    const pending = await withGateway(target, { timeoutMs, scopes: APPROVALS_SCOPE }, (client) => client.exec.approvals.list({}, { timeoutMs }));
    if (out.json) return void out.printJson(pending);
    if (!pending.length) return void out.line(out.color.dim('no approval requests are waiting'));
    out.line(
      formatTable(
        [{ header: 'ID' }, { header: 'COMMAND', flex: true }, { header: 'AGENT' }, { header: 'ASKED' }, { header: 'EXPIRES' }],
        pending.map((e) => [shortId(e.id), e.request.commandPreview ?? e.request.command, e.request.agentId ?? '-', relativeTime(e.createdAtMs), relativeTime(e.expiresAtMs)]),
        out.color,
        out.columns,
      ),
    );
  });
}

function decide(args: string[], deny: boolean): Promise<number> {
  const name = deny ? 'approvals deny' : 'approvals allow';
  return runClientCommand(
    args,
    { name, positionals: true, options: deny ? {} : { always: { type: 'boolean' } }, usage: usageWithMethods(deny ? DENY_USAGE : ALLOW_USAGE, ['exec.approvals.resolve']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const [id, extra] = positionals;
      if (!id) throw usageError(name, 'name the request id ("openclaw approvals list" shows them)');
      if (extra !== undefined) throw usageError(name, `unexpected argument "${extra}"`);
      const decision = deny ? 'deny' : (values as { always?: boolean }).always ? 'allow-always' : 'allow-once';
      const result = await withGateway(target, { timeoutMs, scopes: APPROVALS_SCOPE }, (client) => client.exec.approvals.resolve({ id, decision }, { timeoutMs }));
      if (out.json) out.printJson({ ...result, id, decision });
      else out.line(`${deny ? out.color.red('denied') : out.color.green(decision === 'allow-always' ? 'allowed always' : 'allowed once')} ${id}`);
    },
  );
}

function watch(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'approvals watch', usage: usageWithMethods(WATCH_USAGE, ['exec.approvals.list', 'exec.approvals.resolve']) }, async ({ out, target, timeoutMs }) => {
    const client = await connectGateway(target, { timeoutMs, scopes: APPROVALS_SCOPE });
    try {
      const watcher = new ApprovalWatcher(client, out, timeoutMs, target.url);
      await watcher.start();
      return await watcher.done;
    } finally {
      client.close();
    }
  });
}

const APPROVALS: SubcommandGroup = {
  name: 'approvals',
  summary: 'Exec approval requests: commands agents asked to run that the policy wants a person to decide.',
  subcommands: {
    list: { summary: 'requests waiting for a decision', run: list },
    allow: { summary: 'allow one (--always adds a rule)', run: (args) => decide(args, false) },
    deny: { summary: 'deny one', run: (args) => decide(args, true) },
    watch: { summary: 'ask in this terminal as requests arrive', run: watch },
    get: { summary: 'the policy defaults and the standing allow/deny rules', run: runApprovalsGet },
    allowlist: { summary: 'allowlist add|remove: programs that run without asking', run: runApprovalsAllowlist },
  },
  aliases: { ls: 'list' },
};

export function runApprovalsCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(APPROVALS, args);
}
