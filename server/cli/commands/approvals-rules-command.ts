// `openclaw approvals get` and `approvals allowlist add|remove` (upstream's names): the standing
// exec rules that decide without asking, over exec.approvals.overrides(.set).
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CliError } from '../cli-error.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatFields, formatTable } from '../client/text-table.js';

type Rules = GatewayMethods['exec.approvals.overrides']['result'];
type Rule = Rules['overrides'][number];

const ADMIN = ['operator.admin'];

const GET_USAGE = `Usage: openclaw approvals get [options]

The exec policy defaults (security, ask, fallback) and the standing rules: which programs run
without asking (allow) or never run (deny), for every agent or one.

${CLIENT_OPTIONS_HELP}`;

const RULE_OPTIONS = `Options:
  --args <glob>      only when the arguments (joined by spaces) match this glob
  --agent <id>       only for this agent (default: every agent)`;

const ADD_USAGE = `Usage: openclaw approvals allowlist add <pattern> [--args <glob>] [--agent <id>] [options]

Lets a program run without asking: <pattern> is a glob on the resolved executable path ("*"
within a directory, "**" across) or a bare program name.

${RULE_OPTIONS}

${CLIENT_OPTIONS_HELP}`;

const REMOVE_USAGE = `Usage: openclaw approvals allowlist remove <pattern> [--args <glob>] [--agent <id>] [options]

Removes an allow rule added by "approvals allowlist add" (or "allow --always").

${RULE_OPTIONS}

${CLIENT_OPTIONS_HELP}`;

function renderRules(out: CliOutput, rules: Rules): void {
  const c = out.color;
  const d = rules.defaults;
  out.line(
    formatFields(
      [
        ['file', `${rules.path}${rules.exists ? '' : c.dim(' (not written yet)')}`],
        ['security', d.security ?? c.dim('default')],
        ['ask', d.ask ?? c.dim('default')],
        ['ask fallback', d.askFallback ?? c.dim('default')],
        rules.invalid ? ['invalid', c.red(`${rules.invalid} (every command is denied until it is fixed)`)] : undefined,
      ],
      c,
    ),
  );
  out.line();
  if (!rules.overrides.length) return void out.line(c.dim('no rules ("openclaw approvals allowlist add --help" shows how to add one)'));
  out.line(
    formatTable(
      [{ header: 'DECISION' }, { header: 'PATTERN', flex: true }, { header: 'ARGS' }, { header: 'AGENT' }],
      rules.overrides.map((r) => [r.decision === 'deny' ? c.red('deny') : c.green('allow'), r.pattern, r.argPattern ?? '', r.agentId ?? c.dim('every agent')]),
      c,
      out.columns,
    ),
  );
}

function getRules(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'approvals get', usage: usageWithMethods(GET_USAGE, ['exec.approvals.overrides']) }, async ({ out, target, timeoutMs }) => {
    const rules = await withGateway(target, { timeoutMs, scopes: ADMIN }, (client) => client.exec.approvals.overrides({}, { timeoutMs }));
    if (out.json) out.printJson(rules);
    else renderRules(out, rules);
  });
}

const sameRule = (r: Rule, pattern: string, argPattern: string | undefined, agentId: string | undefined): boolean =>
  r.pattern === pattern && r.argPattern === argPattern && r.agentId === agentId;

function changeRule(args: string[], adding: boolean): Promise<number> {
  const name = `approvals allowlist ${adding ? 'add' : 'remove'}`;
  return runClientCommand(
    args,
    { name, positionals: true, options: { args: { type: 'string' }, agent: { type: 'string' } }, usage: usageWithMethods(adding ? ADD_USAGE : REMOVE_USAGE, ['exec.approvals.overrides.set']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const [pattern, extra] = positionals;
      if (!pattern?.trim()) throw usageError(name, 'name the program pattern (a path glob or a program name)');
      if (extra !== undefined) throw usageError(name, `unexpected argument "${extra}" (quote a pattern with spaces)`);
      const argPattern = values.args;
      const agentId = values.agent;
      const rules = await withGateway(target, { timeoutMs, scopes: ADMIN }, async (client: OpenClawClient) => {
        if (!adding) {
          const current = await client.exec.approvals.overrides({}, { timeoutMs });
          if (!current.overrides.some((r) => r.decision === 'allow' && sameRule(r, pattern, argPattern, agentId))) {
            throw new CliError(`no allow rule for "${pattern}"${argPattern ? ` with args "${argPattern}"` : ''}${agentId ? ` for agent ${agentId}` : ''} ("openclaw approvals get" lists them)`);
          }
        }
        const params: GatewayMethods['exec.approvals.overrides.set']['params'] = { pattern, decision: adding ? 'allow' : null };
        if (argPattern !== undefined) params.argPattern = argPattern;
        if (agentId !== undefined) params.agentId = agentId;
        return client.exec.approvals.overrides.set(params, { timeoutMs });
      });
      if (out.json) return void out.printJson(rules);
      const scope = `${argPattern ? ` with args "${argPattern}"` : ''}${agentId ? ` for agent ${agentId}` : ' for every agent'}`;
      out.line(adding ? `${out.color.green('allowed')} ${pattern}${scope}: it runs without asking` : `${out.color.green('removed')} the allow rule for ${pattern}${scope}`);
    },
  );
}

const ALLOWLIST: SubcommandGroup = {
  name: 'approvals allowlist',
  summary: 'Programs that run without asking.',
  subcommands: {
    add: { summary: 'allow a program (path glob or name)', run: (args) => changeRule(args, true) },
    remove: { summary: 'remove an allow rule', run: (args) => changeRule(args, false) },
  },
  aliases: { rm: 'remove' },
};

export function runApprovalsGet(args: string[]): Promise<number> {
  return getRules(args);
}

export function runApprovalsAllowlist(args: string[]): Promise<number> {
  return dispatchSubcommand(ALLOWLIST, args);
}
