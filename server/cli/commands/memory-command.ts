// `openclaw memory status|search`: an agent's memory index (MEMORY.md and memory/*.md) and a
// search over it as the memory_search tool does, with upstream's command and flag names.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { relativeTime } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatFields } from '../client/text-table.js';

type IndexStatus = GatewayMethods['memory.status']['result']['agents'][number];
type SearchResult = GatewayMethods['memory.search']['result'];

const STATUS_USAGE = `Usage: openclaw memory status [--agent <id>] [options]

Each agent's memory index: files and chunks indexed, when, whether files changed since, and
whether searches are keyword-only or hybrid (with an embedding model and vector support).

Options:
  --agent <id>       only this agent (default: every agent)

${CLIENT_OPTIONS_HELP}`;

const SEARCH_USAGE = `Usage: openclaw memory search <query> [--agent <id>] [--max-results <n>] [--min-score <x>] [options]

Searches an agent's memory files and prints each hit: file, lines, score and the snippet.

Options:
  --agent <id>         the agent (default: the default agent)
  --max-results <n>    at most this many hits (1 to 50)
  --min-score <x>      only hits scoring at least this (0 to 1)

${CLIENT_OPTIONS_HELP}`;

function renderIndex(out: CliOutput, s: IndexStatus): void {
  const c = out.color;
  const vector = s.vector.enabled ? (s.vector.available ? `${s.vector.backend ?? 'available'}${s.vector.dims ? `, ${s.vector.dims} dims` : ''}` : c.yellow(`unavailable${s.vector.error ? `: ${s.vector.error}` : ''}`)) : c.dim('off (no embedding model)');
  out.line(`${c.bold(s.agentId)}  ${s.indexing ? c.cyan('indexing') : s.dirty ? c.yellow('stale') : c.green('up to date')}`);
  out.line(
    formatFields(
      [
        ['indexed', `${s.files} file${s.files === 1 ? '' : 's'}, ${s.chunks} chunk${s.chunks === 1 ? '' : 's'}, ${s.lastIndexedAt ? relativeTime(s.lastIndexedAt) : c.dim('never')}`],
        ['search', `${s.mode} (${s.provider}${s.model ? ` ${s.model}` : ''})`],
        ['vectors', vector],
        ['keywords', s.fts.available ? `full-text${s.fts.trigram ? ' + trigram' : ''}` : c.yellow('unavailable')],
        ['watching', s.watching ? 'yes' : c.dim('no')],
        ['workspace', s.workspace],
        s.lastError ? ['last error', c.red(s.lastError)] : undefined,
      ],
      c,
      '  ',
    ),
  );
}

function memoryStatus(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'memory status', options: { agent: { type: 'string' } }, usage: usageWithMethods(STATUS_USAGE, ['memory.status']) }, async ({ values, out, target, timeoutMs }) => {
    const status = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.memory.status(values.agent ? { agentId: values.agent } : {}, { timeoutMs }));
    if (out.json) return void out.printJson(status);
    if (!status.agents.length) return void out.line(out.color.dim('no agents have a memory index'));
    status.agents.forEach((agent, i) => {
      if (i) out.line();
      renderIndex(out, agent);
    });
  });
}

function numberFlag(raw: string | undefined, flag: string, integer: boolean, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw usageError('memory search', `${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

function renderHits(out: CliOutput, result: SearchResult): void {
  const c = out.color;
  if (result.fallback) out.note(out.errColor.yellow(`note: keyword search only (${result.fallback})`));
  if (!result.results.length) return void out.line(c.dim('no matches'));
  result.results.forEach((hit, i) => {
    if (i) out.line();
    const lines = hit.startLine === hit.endLine ? `${hit.startLine}` : `${hit.startLine}-${hit.endLine}`;
    out.line(`${c.bold(`${hit.path}:${lines}`)}  ${c.dim(`score ${hit.score.toFixed(3)}`)}`);
    for (const line of hit.snippet.split('\n')) out.line(`  ${line}`);
  });
}

function memorySearch(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    {
      name: 'memory search',
      positionals: true,
      options: { agent: { type: 'string' }, 'max-results': { type: 'string' }, 'min-score': { type: 'string' } },
      usage: usageWithMethods(SEARCH_USAGE, ['memory.search']),
    },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const query = positionals.join(' ').trim();
      if (!query) throw usageError('memory search', 'say what to search for');
      if (query.length > 2000) throw usageError('memory search', 'the query is longer than 2000 characters');
      const params: GatewayMethods['memory.search']['params'] = { query };
      if (values.agent) params.agentId = values.agent;
      const limit = numberFlag(values['max-results'], '--max-results', true, 1, 50);
      if (limit !== undefined) params.limit = limit;
      const minScore = numberFlag(values['min-score'], '--min-score', false, 0, 1);
      if (minScore !== undefined) params.minScore = minScore;
      const result = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.memory.search(params, { timeoutMs }));
      if (out.json) out.printJson(result);
      else renderHits(out, result);
    },
  );
}

const MEMORY: SubcommandGroup = {
  name: 'memory',
  summary: "The agents' memory (MEMORY.md and memory/*.md).",
  subcommands: {
    status: { summary: 'the memory index of each agent', run: memoryStatus },
    search: { summary: "search an agent's memory", run: memorySearch },
  },
};

export function runMemoryCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(MEMORY, args);
}
