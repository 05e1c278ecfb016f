// Reads a wrapper's own options (sudo -u x, timeout -s KILL 5, env -i FOO=1) to find the command it runs.
import type { WrapperSpec } from './command-kinds.js';
import type { ShellWord } from './shell-words.js';

export interface Unwrapped {
  /** The command and its arguments. */
  readonly inner: readonly ShellWord[];
  /** `NAME=value` words (env). */
  readonly assignments: readonly string[];
  /** The wrapper runs nothing (command -v). */
  readonly noExec: boolean;
  /** Why the wrapper cannot be seen through (an option chosen at run time, env -S…). */
  readonly problem?: string;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function unwrapOptions(spec: WrapperSpec, args: readonly ShellWord[]): Unwrapped {
  const assignments: string[] = [];
  let noExec = false;
  let operands = spec.operands;
  let i = 0;
  while (i < args.length) {
    const v = args[i]!.value;
    if (v === undefined) return { inner: [], assignments, noExec, problem: `gets options chosen at run time (${args[i]!.text})` };
    if (v === '--') {
      i++;
      break;
    }
    if (v.startsWith('-') && v !== '-') {
      const eq = v.indexOf('=');
      const flag = v.startsWith('--') && eq > 0 ? v.slice(0, eq) : v.startsWith('--') ? v : v.slice(0, 2);
      if (spec.opaque?.has(flag)) return { inner: [], assignments, noExec, problem: `${flag} hides the command it runs from this policy` };
      if (spec.noExec?.has(flag)) noExec = true;
      const attached = v.startsWith('--') ? eq > 0 : v.length > 2;
      i += spec.valued.has(flag) && !attached ? 2 : 1;
      continue;
    }
    if (spec.assignments && ASSIGNMENT.test(v)) {
      assignments.push(ASSIGNMENT.exec(v)![1]!);
      i++;
      continue;
    }
    if (operands > 0) {
      operands--;
      i++;
      continue;
    }
    break;
  }
  return { inner: args.slice(i), assignments, noExec };
}
