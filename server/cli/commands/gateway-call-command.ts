// `openclaw gateway call <method> [--params JSON]`: any method by name, its result as JSON. With
// a method name, --help prints that method's doc, scope, errors and params from the contract.
import JSON5 from 'json5';
import { INTERIM_METHOD_NAMES } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import { withGateway } from '../client/gateway-connection.js';
import { methodHelp, methodIndex } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';

const USAGE = `Usage: openclaw gateway call <method> [--params JSON] [--expect-final] [options]

Calls one gateway method and prints its result as JSON (the low-level RPC helper).
"openclaw gateway call <method> --help" shows the method's params.

Options:
  --params <json>    the params object (JSON or JSON5; default {})
  --expect-final     for methods that answer twice (agent): wait for the final answer, not "accepted"

${CLIENT_OPTIONS_HELP}`;

function parseParams(raw: string | undefined): unknown {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON5.parse(raw);
  } catch (error) {
    throw usageError('gateway call', `--params is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usageError('gateway call', '--params must be a JSON object, e.g. --params \'{"limit": 10}\'');
  return value;
}

export function runGatewayCallCommand(args: string[]): Promise<number> {
  const method = args.find((a) => !a.startsWith('-'));
  return runClientCommand(
    args,
    {
      name: 'gateway call',
      positionals: true,
      options: { params: { type: 'string' }, 'expect-final': { type: 'boolean' } },
      usage: async () => {
        const help = method ? await methodHelp(method) : undefined;
        if (help) return `${help}\n\n${USAGE}`;
        return `${USAGE}\n\nMethods of this gateway's contract:\n${await methodIndex()}`;
      },
    },
    async ({ values, positionals, out, target, timeoutMs }) => {
      const [name, ...extra] = positionals;
      if (!name) throw usageError('gateway call', 'name the method to call, e.g. "openclaw gateway call health"');
      if (extra.length) throw usageError('gateway call', `unexpected argument "${extra[0]}" (params go in --params JSON)`);
      const params = parseParams(values.params);
      const answersTwice = (INTERIM_METHOD_NAMES as readonly string[]).includes(name);
      const result = await withGateway(target, { timeoutMs }, (client) =>
        withProgress(out, `calling ${name}…`, () => {
          if (!answersTwice || values['expect-final']) return client.requestUntyped(name, params, { timeoutMs });
          // Without --expect-final the first answer (accepted) is the result, as upstream.
          return new Promise<unknown>((resolve, reject) => {
            client.requestUntyped(name, params, { timeoutMs, onInterim: resolve }).then(resolve, reject);
          });
        }),
      );
      if (!out.json && typeof result === 'string') out.line(result);
      else out.printJson(result);
    },
  );
}
