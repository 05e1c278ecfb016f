// `openclaw sessions [list|show|reset|delete]`: the gateway's sessions (`openclaw sessions` alone
// lists them, as upstream).
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { relativeTime } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatTable } from '../client/text-table.js';
import { messageText } from './transcript-text.js';

type SessionRow = GatewayMethods['sessions.list']['result']['sessions'][number];

const LIST_USAGE = `Usage: openclaw sessions [list] [--agent <id>] [--active <minutes>] [--limit <n>] [--search <text>] [options]

Sessions, most recently updated first: key, kind, last update, model, tokens and title.

Options:
  --agent <id>        only this agent's sessions
  --active <minutes>  only sessions updated within this many minutes
  --limit <n>         at most this many (default 50)
  --search <text>     keys, labels and titles containing this text

${CLIENT_OPTIONS_HELP}`;

const SHOW_USAGE = `Usage: openclaw sessions show <key> [--limit <n>] [options]

A session's transcript, oldest first (the last --limit messages, default 20).

${CLIENT_OPTIONS_HELP}`;

const RESET_USAGE = `Usage: openclaw sessions reset <key> [options]

Starts a fresh transcript under the same key; the old one is archived.

${CLIENT_OPTIONS_HELP}`;

const DELETE_USAGE = `Usage: openclaw sessions delete <key> [--delete-transcript] [options]

Removes a session; its transcript is archived unless --delete-transcript.

Options:
  --delete-transcript  delete the transcript instead of archiving it

${CLIENT_OPTIONS_HELP}`;

function positiveInt(raw: string | undefined, flag: string, command: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw usageError(command, `${flag} must be a whole number from 1 to ${max} (got "${raw}")`);
  return n;
}

function oneKey(positionals: readonly string[], command: string): string {
  const [key, extra] = positionals;
  if (!key) throw usageError(command, 'name the session key, e.g. agent:main:main ("openclaw sessions" lists them)');
  if (extra !== undefined) throw usageError(command, `unexpected argument "${extra}"`);
  return key;
}

const tokens = (row: SessionRow): string => (row.totalTokens !== undefined ? String(row.totalTokens) : '-');

function renderList(out: CliOutput, sessions: readonly SessionRow[]): void {
  if (!sessions.length) {
    out.line(out.color.dim('no sessions'));
    return;
  }
  out.line(
    formatTable(
      [{ header: 'KEY', maxWidth: 60 }, { header: 'KIND' }, { header: 'UPDATED' }, { header: 'MODEL' }, { header: 'TOKENS', align: 'right' }, { header: 'TITLE', flex: true }],
      sessions.map((s) => [s.key, s.kind, relativeTime(s.updatedAt), s.model ?? '', tokens(s), s.label ?? s.displayName ?? s.derivedTitle ?? '']),
      out.color,
      out.columns,
    ),
  );
}

async function listSessions(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    {
      name: 'sessions list',
      options: { agent: { type: 'string' }, active: { type: 'string' }, limit: { type: 'string' }, search: { type: 'string' } },
      usage: usageWithMethods(LIST_USAGE, ['sessions.list']),
    },
    async ({ values, out, target, timeoutMs }) => {
      const params: GatewayMethods['sessions.list']['params'] = { limit: positiveInt(values.limit, '--limit', 'sessions list', 10_000) ?? 50, includeDerivedTitles: true };
      const active = positiveInt(values.active, '--active', 'sessions list', 525_600);
      if (active) params.activeMinutes = active;
      if (values.agent) params.agentId = values.agent;
      if (values.search) params.search = values.search;
      const result = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.sessions.list(params, { timeoutMs }));
      if (out.json) out.printJson(result);
      else renderList(out, result.sessions);
    },
  );
}

async function showSession(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'sessions show', positionals: true, options: { limit: { type: 'string' } }, usage: usageWithMethods(SHOW_USAGE, ['chat.history']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const key = oneKey(positionals, 'sessions show');
      const limit = positiveInt(values.limit, '--limit', 'sessions show', 1000) ?? 20;
      const history = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.chat.history({ sessionKey: key, limit }, { timeoutMs }));
      if (out.json) return void out.printJson(history);
      const c = out.color;
      if (!history.messages.length) return void out.line(c.dim(`no messages in ${key}`));
      for (const m of history.messages) {
        const who = m.role === 'user' ? c.cyan('you') : m.role === 'assistant' ? c.green('assistant') : c.dim(m.role);
        const when = typeof m.timestamp === 'number' ? c.dim(` · ${relativeTime(m.timestamp)}`) : '';
        out.line(`${who}${when}`);
        out.line(messageText(m) || c.dim('(no text)'));
        out.line();
      }
    },
  );
}

async function resetSession(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'sessions reset', positionals: true, usage: usageWithMethods(RESET_USAGE, ['sessions.reset']) }, async ({ positionals, out, target, timeoutMs }) => {
    const key = oneKey(positionals, 'sessions reset');
    const result = await withGateway(target, { timeoutMs }, (client) => client.sessions.reset({ key }, { timeoutMs }));
    if (out.json) out.printJson(result);
    else out.line(`${out.color.green('reset')} ${result.key}: new transcript ${result.entry.sessionId}`);
  });
}

async function deleteSession(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'sessions delete', positionals: true, options: { 'delete-transcript': { type: 'boolean' } }, usage: usageWithMethods(DELETE_USAGE, ['sessions.delete']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const key = oneKey(positionals, 'sessions delete');
      const result = await withGateway(target, { timeoutMs }, (client) => client.sessions.delete({ key, deleteTranscript: values['delete-transcript'] === true }, { timeoutMs }));
      if (out.json) return void out.printJson(result);
      if (!result.deleted) return void out.line(out.color.dim(`${result.key}: nothing to delete`));
      out.line(`${out.color.green('deleted')} ${result.key}${result.archived.length ? `; transcript archived to ${result.archived.join(', ')}` : ''}`);
    },
  );
}

const SESSIONS: SubcommandGroup = {
  name: 'sessions',
  summary: "The gateway's sessions. Without a subcommand: list.",
  subcommands: {
    list: { summary: 'sessions, most recent first', run: listSessions },
    show: { summary: "a session's transcript", run: showSession },
    reset: { summary: 'start a fresh transcript under the same key', run: resetSession },
    delete: { summary: 'remove a session (the transcript is archived)', run: deleteSession },
  },
  aliases: { ls: 'list', rm: 'delete' },
  fallback: listSessions,
};

export function runSessionsCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(SESSIONS, args);
}
