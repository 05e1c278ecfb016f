// `openclaw config get|set|unset|patch`: the gateway's config file, read and written through the
// gateway (so the write is validated and applied live). The baseHash every write needs is read
// first and the write retried when the file changed in between.
import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CliError } from '../cli-error.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatConfigPath, getAtPath, parseConfigPath, withValueAtPath, type PathSegment } from './config-path.js';

type Snapshot = GatewayMethods['config.get']['result'];
type WriteResult = GatewayMethods['config.set']['result'];

const PATHS_HELP = `Paths use dots and brackets: gateway.port, agents.list[0].id, models.providers["my.host"].apiKey.
Secrets are shown as __OPENCLAW_REDACTED__ and stay as they are when the file is written back.`;

const GET_USAGE = `Usage: openclaw config get [<path>] [options]

Prints a value of the config file as written (strings as they are, the rest as JSON), or the
whole file without a path. Exits 1 when the path is not set.

${PATHS_HELP}

${CLIENT_OPTIONS_HELP}`;

const SET_USAGE = `Usage: openclaw config set <path> <value> [--json] [options]

Sets one value. The value is read as JSON5 when it parses (numbers, true/false, arrays,
objects) and as a string otherwise; with --json it must parse. The gateway validates the new
config and applies what it can at once; it says which changes need a restart.

${PATHS_HELP}

${CLIENT_OPTIONS_HELP}`;

const UNSET_USAGE = `Usage: openclaw config unset <path> [options]

Removes one key (or list entry) from the config file.

${PATHS_HELP}

${CLIENT_OPTIONS_HELP}`;

const PATCH_USAGE = `Usage: openclaw config patch <json5> | --file <path> | --stdin [options]

Applies a JSON merge patch (RFC 7386: objects merge, null removes a key, lists of {id} entries
merge by id) to the config file.

Options:
  --file <path>      read the patch from a file
  --stdin            read the patch from standard input

${CLIENT_OPTIONS_HELP}`;

const WRITE_ATTEMPTS = 3;

/** A write that needs the current hash; retried with a fresh read when another writer got there first. */
async function writeWithBaseHash(client: OpenClawClient, timeoutMs: number, write: (snapshot: Snapshot, baseHash: string | undefined) => Promise<WriteResult | undefined>): Promise<WriteResult | undefined> {
  for (let attempt = 1; ; attempt++) {
    const snapshot = await client.config.get({}, { timeoutMs });
    try {
      return await write(snapshot, snapshot.hash || undefined);
    } catch (error) {
      if (!(error instanceof GatewayError) || error.detailCode !== 'BASE_HASH_MISMATCH' || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

function editableDocument(snapshot: Snapshot): unknown {
  if (!snapshot.valid) {
    const issues = snapshot.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new CliError(`the config file ${snapshot.path} is invalid (${issues}); fix it first (openclaw config patch, or edit the file)`);
  }
  return snapshot.parsed ?? {};
}

function printWritten(out: CliOutput, result: WriteResult | undefined, done: string, unchanged = `unchanged: ${done}`): void {
  if (out.json) return void out.printJson(result ?? { ok: true, noop: true });
  if (!result || result.noop) return void out.line(out.color.dim(unchanged));
  out.line(`${out.color.green('ok')} ${done} in ${result.path}`);
  if (result.restartRequired?.length) out.note(out.errColor.yellow(`restart the gateway for ${result.restartRequired.join(', ')} to take effect`));
}

function parseValue(raw: string, strict: boolean): unknown {
  try {
    return JSON5.parse(raw);
  } catch (error) {
    if (strict) throw usageError('config set', `the value is not valid JSON5 (--json): ${(error as Error).message}`);
    return raw;
  }
}

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function getConfig(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'config get', positionals: true, usage: usageWithMethods(GET_USAGE, ['config.get']) }, async ({ positionals, out, target, timeoutMs }) => {
    if (positionals.length > 1) throw usageError('config get', `unexpected argument "${positionals[1]}"`);
    const snapshot = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.config.get({}, { timeoutMs }));
    const doc = editableDocument(snapshot);
    let segments: PathSegment[] = [];
    if (positionals[0] !== undefined) segments = parseConfigPath(positionals[0], 'config get');
    const { found, value } = getAtPath(doc, segments);
    if (!found) throw new CliError(`${formatConfigPath(segments)} is not set in ${snapshot.path}`);
    if (out.json) out.printJson(value);
    else out.line(show(value));
  });
}

function setConfig(args: string[], unset: boolean): Promise<number> {
  const name = unset ? 'config unset' : 'config set';
  return runClientCommand(
    args,
    { name, positionals: true, usage: usageWithMethods(unset ? UNSET_USAGE : SET_USAGE, ['config.get', 'config.set']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const want = unset ? 1 : 2;
      if (positionals.length !== want) throw usageError(name, unset ? 'name the path to remove' : 'pass a path and a value, e.g. "openclaw config set gateway.port 19001"');
      const segments = parseConfigPath(positionals[0]!, name);
      const where = formatConfigPath(segments);
      const value = unset ? undefined : parseValue(positionals[1]!, values.json === true);
      const result = await withGateway(target, { timeoutMs }, (client) =>
        writeWithBaseHash(client, timeoutMs, async (snapshot, baseHash) => {
          const doc = editableDocument(snapshot);
          if (unset && !getAtPath(doc, segments).found) return undefined;
          const next = withValueAtPath(doc, segments, value, name);
          return client.config.set({ raw: `${JSON.stringify(next, null, 2)}\n`, ...(baseHash ? { baseHash } : {}) }, { timeoutMs });
        }),
      );
      printWritten(out, result, unset ? `removed ${where}` : `set ${where} = ${JSON.stringify(value)}`, unset ? `${where} was not set; nothing to remove` : undefined);
    },
  );
}

function readPatch(values: { file?: string | undefined; stdin?: boolean | undefined }, positionals: readonly string[]): string {
  const sources = [positionals.length > 0, values.file !== undefined, values.stdin === true].filter(Boolean).length;
  if (sources !== 1) throw usageError('config patch', 'give the patch once: as an argument, with --file <path>, or with --stdin');
  if (positionals.length > 1) throw usageError('config patch', 'the patch is one argument (quote it)');
  try {
    if (values.file !== undefined) return readFileSync(values.file, 'utf8');
    if (values.stdin) return readFileSync(0, 'utf8');
  } catch (error) {
    throw usageError('config patch', `cannot read the patch: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return positionals[0]!;
}

function patchConfig(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'config patch', positionals: true, options: { file: { type: 'string' }, stdin: { type: 'boolean' } }, usage: usageWithMethods(PATCH_USAGE, ['config.get', 'config.patch']) },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const raw = readPatch(values, positionals);
      let patch: unknown;
      try {
        patch = JSON5.parse(raw);
      } catch (error) {
        throw usageError('config patch', `the patch is not valid JSON5: ${(error as Error).message}`);
      }
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw usageError('config patch', 'the patch must be an object, e.g. \'{"gateway":{"port":19001}}\'');
      const result = await withGateway(target, { timeoutMs }, (client) =>
        writeWithBaseHash(client, timeoutMs, (_snapshot, baseHash) => client.config.patch({ raw, ...(baseHash ? { baseHash } : {}) }, { timeoutMs })),
      );
      printWritten(out, result, `patched ${Object.keys(patch).join(', ')}`);
    },
  );
}

const CONFIG: SubcommandGroup = {
  name: 'config',
  summary: "The gateway's config file (openclaw.json), read and written through the running gateway.",
  subcommands: {
    get: { summary: 'print a value (or the whole file)', run: getConfig },
    set: { summary: 'set one value', run: (args) => setConfig(args, false) },
    unset: { summary: 'remove one key', run: (args) => setConfig(args, true) },
    patch: { summary: 'apply a JSON merge patch', run: patchConfig },
  },
};

export function runConfigCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(CONFIG, args);
}
