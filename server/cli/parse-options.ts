// util.parseArgs with its errors turned into sentences that point at --help (instead of
// ERR_PARSE_ARGS_* codes with a stack).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<O extends Options>(command: string, args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const help = `run "openclaw ${command} --help" for the options`;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CliError(`unknown option ${flag ?? ''} for "openclaw ${command}"; ${help}`.replace('  ', ' '), 2);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new CliError(`option ${flag ?? ''} needs a value (for example ${flag ?? '--option'} <value>); ${help}`.replace('  ', ' '), 2);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new CliError(`unexpected argument for "openclaw ${command}": ${/'([^']+)'/.exec(message)?.[1] ?? ''}; ${help}`, 2);
    throw new CliError(`${message}; ${help}`, 2);
  }
}
