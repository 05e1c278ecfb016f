// The parser's numeric operator codes, learned once by parsing one probe per operator, so this
// gateway depends on what mvdan-sh parses rather than on the order of its Go constants.
import { child, nodes, parseShell, type ShellNode } from './shell-syntax.js';

export interface ShellOperators {
  /** Redirections that open a file for writing (`>`, `>>`, `>|`, `&>`, `&>>`, `<>`). */
  readonly writes: ReadonlySet<number>;
  /** `>&`: a descriptor copy when the target is a number or `-`, else it writes a file. */
  readonly duplicateOut: number;
  /** `<&`: a descriptor copy. */
  readonly duplicateIn: number;
  /** `<`: reads a file. */
  readonly reads: ReadonlySet<number>;
  /** `${x=…}`, `${x:=…}`: assign the variable. */
  readonly assigningExpansions: ReadonlySet<number>;
  /** `${x@P}` and the other `@` operators (prompt expansion runs command substitutions). */
  readonly transformExpansion: number;
  /** `[[ a -eq b ]]` and kin: their operands are evaluated as arithmetic. */
  readonly arithmeticTests: ReadonlySet<number>;
}

const firstStmt = (source: string): ShellNode => nodes(parseShell(source), 'Stmts')[0]!;
const redirectOp = (source: string): number => nodes(firstStmt(source), 'Redirs')[0]!.Op as number;
const expansionOp = (source: string): number => {
  const word = nodes(child(firstStmt(source), 'Cmd'), 'Args')[1];
  return child(nodes(word, 'Parts')[0], 'Exp')!.Op as number;
};
const testOp = (source: string): number => child(child(firstStmt(source), 'Cmd'), 'X')!.Op as number;

let cached: ShellOperators | undefined;

export function shellOperators(): ShellOperators {
  cached ??= {
    writes: new Set(['x > f', 'x >> f', 'x >| f', 'x &> f', 'x &>> f', 'x <> f'].map(redirectOp)),
    duplicateOut: redirectOp('x >& 2'),
    duplicateIn: redirectOp('x <& 3'),
    reads: new Set([redirectOp('x < f')]),
    assigningExpansions: new Set([expansionOp('x ${y=z}'), expansionOp('x ${y:=z}')]),
    transformExpansion: expansionOp('x ${y@P}'),
    arithmeticTests: new Set(['[[ a -eq b ]]', '[[ a -ne b ]]', '[[ a -lt b ]]', '[[ a -le b ]]', '[[ a -gt b ]]', '[[ a -ge b ]]'].map(testOp)),
  };
  return cached;
}
