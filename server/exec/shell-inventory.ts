// Walks a parsed script and lists every simple command in it — in pipelines, lists, subshells,
// blocks, loops, conditions, functions, `$(…)`, backticks, `<(…)`, heredocs, parameter defaults,
// array values, arithmetic — plus the script-level facts a policy must see: redirections that
// write files, assignments to variables that change how commands are found or run, and arithmetic
// on variables (bash evaluates `a[$(cmd)]` inside it).
import { isSensitiveVariable } from './command-kinds.js';
import { shellOperators } from './shell-operators.js';
import { child, nodes, type ShellNode } from './shell-syntax.js';
import { analyzeWord, wordSpan, type ShellSource, type ShellWord } from './shell-words.js';

export interface CommandSite {
  /** Name and arguments (after prefix assignments). */
  readonly words: readonly ShellWord[];
  /** Names assigned for this command only (`FOO=1 cmd`). */
  readonly assigns: readonly string[];
  /** Files read through `<` by this command or a statement around it. */
  readonly inputs: readonly ShellWord[];
  readonly text: string;
}

/** Something in the script that needs a person's approval whatever the allowlist says. */
export interface ScriptFinding {
  readonly text: string;
  readonly reason: string;
}

export interface ScriptInventory {
  readonly commands: CommandSite[];
  readonly findings: ScriptFinding[];
  /** Functions the script defines (their bodies are in `commands`). */
  readonly functions: Set<string>;
}

const HARMLESS_WRITE_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty', '/dev/fd/1', '/dev/fd/2']);
const NUMERIC = /^(?:[0-9]+|0[xX][0-9a-fA-F]+)$/;

class InventoryWalker {
  readonly inventory: ScriptInventory = { commands: [], findings: [], functions: new Set() };
  private readonly ops = shellOperators();

  constructor(private readonly source: ShellSource) {}

  private find(node: ShellNode | undefined, reason: string): void {
    const range = node ? wordSpan(node) ?? spanOf(node) : undefined;
    this.inventory.findings.push({ text: range ? this.source.slice(range[0], range[1]) : '', reason });
  }

  stmts(list: readonly ShellNode[], inputs: readonly ShellWord[]): void {
    for (const stmt of list) this.stmt(stmt, inputs);
  }

  stmt(stmt: ShellNode, inherited: readonly ShellWord[]): void {
    let inputs = inherited;
    for (const redirect of nodes(stmt, 'Redirs')) {
      const target = child(redirect, 'Word');
      const hdoc = child(redirect, 'Hdoc');
      if (target) this.word(target);
      if (hdoc) this.word(hdoc);
      const op = redirect.Op as number;
      const word = target ? analyzeWord(target, this.source) : undefined;
      if (this.ops.writes.has(op)) {
        if (!word?.value || !HARMLESS_WRITE_TARGETS.has(word.value)) this.find(target, `writes to a file (${word?.text ?? 'redirection'})`);
      } else if (op === this.ops.duplicateOut || op === this.ops.duplicateIn) {
        const descriptor = word?.value !== undefined && /^(?:[0-9]+-?|-)$/.test(word.value);
        if (!descriptor && op === this.ops.duplicateOut) this.find(target, `writes to a file (${word?.text ?? 'redirection'})`);
        else if (!descriptor && word) inputs = [...inputs, word];
      } else if (this.ops.reads.has(op) && word) {
        inputs = [...inputs, word];
      }
    }
    const cmd = child(stmt, 'Cmd');
    if (cmd) this.command(cmd, inputs);
  }

  command(cmd: ShellNode, inputs: readonly ShellWord[]): void {
    switch (cmd.type) {
      case 'CallExpr': {
        const assigns: string[] = [];
        for (const assign of nodes(cmd, 'Assigns')) assigns.push(...this.assign(assign));
        const args = nodes(cmd, 'Args');
        for (const arg of args) this.word(arg);
        if (args.length === 0) return;
        const words = args.map((a) => analyzeWord(a, this.source));
        const first = wordSpan(args[0]!);
        const last = wordSpan(args[args.length - 1]!);
        const text = first && last ? this.source.slice(first[0], last[1]) : words.map((w) => w.text).join(' ');
        this.inventory.commands.push({ words, assigns, inputs, text });
        return;
      }
      case 'BinaryCmd':
        for (const side of ['X', 'Y']) {
          const stmt = child(cmd, side);
          if (stmt) this.stmt(stmt, inputs);
        }
        return;
      case 'Subshell':
      case 'Block':
        this.stmts(nodes(cmd, 'Stmts'), inputs);
        return;
      case 'IfClause':
        this.stmts(nodes(cmd, 'Cond'), inputs);
        this.stmts(nodes(cmd, 'Then'), inputs);
        if (child(cmd, 'Else')) this.command(child(cmd, 'Else')!, inputs);
        return;
      case 'WhileClause':
        this.stmts(nodes(cmd, 'Cond'), inputs);
        this.stmts(nodes(cmd, 'Do'), inputs);
        return;
      case 'ForClause': {
        const loop = child(cmd, 'Loop');
        if (loop?.type === 'WordIter') {
          const name = child(loop, 'Name')?.Value as string | undefined;
          if (name && isSensitiveVariable(name)) this.find(loop, `sets ${name}, which changes how commands are found or run`);
          for (const item of nodes(loop, 'Items')) this.word(item);
        } else if (loop) {
          for (const field of ['Init', 'Cond', 'Post']) this.arithmetic(child(loop, field));
        }
        this.stmts(nodes(cmd, 'Do'), inputs);
        return;
      }
      case 'CaseClause':
        if (child(cmd, 'Word')) this.word(child(cmd, 'Word')!);
        for (const item of nodes(cmd, 'Items')) {
          for (const pattern of nodes(item, 'Patterns')) this.word(pattern);
          this.stmts(nodes(item, 'Stmts'), inputs);
        }
        return;
      case 'FuncDecl': {
        const name = child(cmd, 'Name')?.Value as string | undefined;
        if (name) this.inventory.functions.add(name);
        const body = child(cmd, 'Body');
        if (body) this.stmt(body, inputs);
        return;
      }
      case 'ArithmCmd':
        this.arithmetic(child(cmd, 'X'));
        return;
      case 'LetClause':
        for (const expr of nodes(cmd, 'Exprs')) this.arithmetic(expr);
        return;
      case 'TestClause':
        this.test(child(cmd, 'X'));
        return;
      case 'DeclClause':
        this.declaration(cmd);
        return;
      case 'TimeClause':
      case 'CoprocClause': {
        const stmt = child(cmd, 'Stmt');
        if (stmt) this.stmt(stmt, inputs);
        return;
      }
      default:
        this.find(cmd, `uses a shell construct this policy does not read (${cmd.type})`);
    }
  }

  /** Returns the assigned name (for prefix assignments). */
  private assign(assign: ShellNode): string[] {
    const name = child(assign, 'Name')?.Value as string | undefined;
    if (name && isSensitiveVariable(name) && assign.Naked !== true) this.find(assign, `sets ${name}, which changes how commands are found or run`);
    if (child(assign, 'Index')) this.arithmetic(child(assign, 'Index'));
    if (child(assign, 'Value')) this.word(child(assign, 'Value')!);
    for (const elem of nodes(child(assign, 'Array'), 'Elems')) {
      if (child(elem, 'Index')) this.arithmetic(child(elem, 'Index'));
      if (child(elem, 'Value')) this.word(child(elem, 'Value')!);
    }
    return name ? [name] : [];
  }

  private declaration(decl: ShellNode): void {
    for (const assign of nodes(decl, 'Args')) {
      const flag = child(assign, 'Value');
      const flagWord = assign.Naked === true && flag && !child(assign, 'Name') ? analyzeWord(flag, this.source) : undefined;
      if (flagWord) {
        if (flagWord.value === undefined) this.find(flag, 'declares variables chosen at run time');
        else if (/^-[a-zA-Z]*[in]/.test(flagWord.value)) this.find(flag, 'declares an integer or reference variable (its values are evaluated)');
        continue;
      }
      this.assign(assign);
    }
  }

  /** Finds the commands nested in a word, and expansions that assign or run code. */
  word(word: ShellNode): void {
    for (const part of nodes(word, 'Parts')) this.wordPart(part);
  }

  private wordPart(part: ShellNode): void {
    switch (part.type) {
      case 'CmdSubst':
      case 'ProcSubst':
        this.stmts(nodes(part, 'Stmts'), []);
        return;
      case 'DblQuoted':
        for (const inner of nodes(part, 'Parts')) this.wordPart(inner);
        return;
      case 'ArithmExp':
        this.arithmetic(child(part, 'X'));
        return;
      case 'ParamExp': {
        const name = child(part, 'Param')?.Value as string | undefined;
        const exp = child(part, 'Exp');
        if (exp) {
          const op = exp.Op as number;
          if (this.ops.assigningExpansions.has(op) && name && isSensitiveVariable(name)) this.find(part, `sets ${name}, which changes how commands are found or run`);
          if (op === this.ops.transformExpansion) this.find(part, 'uses a ${…@…} transformation (prompt expansion runs commands)');
          if (child(exp, 'Word')) this.word(child(exp, 'Word')!);
        }
        if (part.Excl === true && !part.Names) this.find(part, 'uses indirect expansion (${!name})');
        if (child(part, 'Index')) this.arithmetic(child(part, 'Index'));
        const slice = child(part, 'Slice');
        if (slice) for (const field of ['Offset', 'Length']) this.arithmetic(child(slice, field));
        const repl = child(part, 'Repl');
        if (repl) for (const field of ['Orig', 'With']) if (child(repl, field)) this.word(child(repl, field)!);
        return;
      }
      case 'Lit':
      case 'SglQuoted':
      case 'ExtGlob':
      case 'BraceExp':
        return;
      default:
        this.find(part, `uses a shell expansion this policy does not read (${part.type})`);
    }
  }

  private arithmetic(expr: ShellNode | undefined): void {
    if (!expr) return;
    if (expr.type === 'Word') {
      const word = analyzeWord(expr, this.source);
      if (word.value === undefined || !NUMERIC.test(word.value)) {
        this.word(expr);
        this.find(expr, 'does arithmetic on variables or command output (bash evaluates code inside it)');
      }
      return;
    }
    for (const field of ['X', 'Y']) this.arithmetic(child(expr, field));
  }

  private test(expr: ShellNode | undefined): void {
    if (!expr) return;
    if (expr.type === 'Word') {
      this.word(expr);
      return;
    }
    if (expr.type === 'BinaryTest' && this.ops.arithmeticTests.has(expr.Op as number)) {
      this.arithmetic(child(expr, 'X'));
      this.arithmetic(child(expr, 'Y'));
      return;
    }
    for (const field of ['X', 'Y']) this.test(child(expr, field));
  }
}

/** A node's byte range from the positions it holds directly. */
function spanOf(node: ShellNode): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const key in node) {
    const value = node[key];
    if (typeof value === 'number' && key !== 'Op' && key !== 'Names') {
      min = Math.min(min, value);
      max = Math.max(max, value + 1);
    }
  }
  return min <= max ? [min, max] : undefined;
}

export function inventoryOf(file: ShellNode, source: ShellSource): ScriptInventory {
  const walker = new InventoryWalker(source);
  walker.stmts(nodes(file, 'Stmts'), []);
  return walker.inventory;
}
