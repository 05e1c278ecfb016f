// `openclaw <group> <subcommand>`: picks the subcommand (loaded on demand, so a command only
// loads its own code), prints the group's help, and names the closest match for a typo.
import { closest, distance } from 'fastest-levenshtein';
import { CliError } from '../cli-error.js';

export interface Subcommand {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

export interface SubcommandGroup {
  /** "sessions" or "gateway". */
  readonly name: string;
  readonly summary: string;
  readonly subcommands: Readonly<Record<string, Subcommand>>;
  /** Other names for a subcommand (upstream's `cron remove` for `cron rm`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Run when the first argument is no subcommand (e.g. `openclaw sessions` lists). */
  readonly fallback?: (args: string[]) => Promise<number>;
  /** Extra help text after the subcommand list. */
  readonly epilog?: string;
}

/** A subcommand whose module is imported only when it runs. */
export function lazy<M>(summary: string, load: () => Promise<M>, pick: (module: M) => (args: string[]) => Promise<number> | number): Subcommand {
  return { summary, run: async (args) => pick(await load())(args) };
}

export function groupHelp(group: SubcommandGroup): string {
  const names = Object.keys(group.subcommands);
  const width = Math.max(...names.map((n) => n.length));
  const aliasesOf = (name: string): string[] => Object.entries(group.aliases ?? {}).filter(([, to]) => to === name).map(([from]) => from);
  const lines = names.map((n) => {
    const aka = aliasesOf(n);
    return `  ${n.padEnd(width)}  ${group.subcommands[n]!.summary}${aka.length ? ` (also: ${aka.join(', ')})` : ''}`;
  });
  return [
    `Usage: openclaw ${group.name} <subcommand> [options]`,
    '',
    group.summary,
    '',
    'Subcommands:',
    ...lines,
    '',
    `Run "openclaw ${group.name} <subcommand> --help" for a subcommand's options.`,
    ...(group.epilog ? ['', group.epilog] : []),
    '',
  ].join('\n');
}

export async function dispatchSubcommand(group: SubcommandGroup, args: string[]): Promise<number> {
  const [first, ...rest] = args;
  const name = first !== undefined ? (group.aliases?.[first] ?? first) : undefined;
  const sub = name !== undefined && Object.hasOwn(group.subcommands, name) ? group.subcommands[name] : undefined;
  if (sub) return sub.run(rest);
  if (first === 'help' || first === '--help' || first === '-h') {
    process.stdout.write(groupHelp(group));
    return 0;
  }
  if (group.fallback && (first === undefined || first.startsWith('-'))) return group.fallback(args);
  if (first === undefined) {
    process.stdout.write(groupHelp(group));
    return 2;
  }
  const known = [...Object.keys(group.subcommands), ...Object.keys(group.aliases ?? {})];
  const near = known.filter((k) => distance(first, k) <= (k.length >= 4 ? 2 : 1));
  const guess = near.length ? closest(first, near) : undefined;
  const hint = guess ? ` (did you mean "${guess}"?)` : '';
  throw new CliError(`unknown subcommand "${first}" for "openclaw ${group.name}"${hint}; run "openclaw ${group.name} --help" for the subcommands`, 2);
}

