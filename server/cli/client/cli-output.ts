// Where a client command writes: results on stdout (human text, or JSON with --json), notes and
// progress on stderr. Colour and spinners only where a person is watching.
import { colorEnabled, colorsFor, type Colors } from './terminal-style.js';

export interface CliOutput {
  /** --json: stdout carries only JSON. */
  readonly json: boolean;
  /** Colours for stdout. */
  readonly color: Colors;
  /** Colours for stderr. */
  readonly errColor: Colors;
  /** stderr is a terminal and not in --json mode: progress may be shown. */
  readonly interactive: boolean;
  /** The terminal's width, when stdout is one. */
  readonly columns: number | undefined;
  /** One line (or block) of result text on stdout. */
  line(text?: string): void;
  /** A note for the person on stderr (never part of the result). */
  note(text: string): void;
  /** The result as JSON on stdout. */
  printJson(value: unknown): void;
}

export interface OutputFlags {
  readonly json?: boolean | undefined;
  readonly 'no-color'?: boolean | undefined;
}

export function createOutput(flags: OutputFlags, env: NodeJS.ProcessEnv = process.env): CliOutput {
  const json = flags.json === true;
  const noColor = flags['no-color'] === true || json;
  const stdoutColor = colorEnabled(process.stdout, env, noColor);
  const stderrColor = colorEnabled(process.stderr, env, flags['no-color'] === true);
  return {
    json,
    color: colorsFor(stdoutColor),
    errColor: colorsFor(stderrColor),
    interactive: !json && process.stderr.isTTY === true && env.TERM !== 'dumb',
    columns: process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : undefined,
    line: (text = '') => void process.stdout.write(`${text}\n`),
    note: (text) => void process.stderr.write(`${text}\n`),
    printJson: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
