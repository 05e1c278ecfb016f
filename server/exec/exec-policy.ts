// The exec policy evaluator: reads a command line as a shell would (mvdan-sh syntax tree), checks
// every command in it against the policy — security mode, ask mode, allowlist and denylist rules,
// the default read-only binaries — and says allow, ask or deny, with the reasons and the rules an
// "allow always" would add. Pure apart from PATH lookups; the gateway's exec tool and node hosts
// (system.run) share it.
import { basename, dirname } from 'node:path';
import type { CommandRule } from './allowlist-match.js';
import { findRule } from './allowlist-match.js';
import { escapeArgumentGlob } from './argument-glob.js';
import {
  BASH_BUILTINS, DIRECTORY_BUILTINS, FIND_EXEC, PRIVILEGED, PURE_BUILTINS, SHELLS, TRUSTED_BIN_DIRS, VARIABLE_BUILTINS,
  WRAPPERS, XARGS_VALUED, interpreterKind, isSensitiveVariable,
} from './command-kinds.js';
import { resolveExecutable, type ResolvedExecutable } from './executable-resolver.js';
import { inventoryOf, type CommandSite, type ScriptFinding } from './shell-inventory.js';
import { child, nodes, parseShell, ShellSyntaxError } from './shell-syntax.js';
import { ShellSource, type ShellWord } from './shell-words.js';
import { escapesWorkspace } from './workspace-confinement.js';
import { unwrapOptions } from './wrapper-options.js';

export type ExecSecurity = 'deny' | 'allowlist' | 'full';
export type ExecAsk = 'off' | 'on-miss' | 'always';

export interface ExecPolicy {
  readonly security: ExecSecurity;
  readonly ask: ExecAsk;
  /** What applies when approval is needed and no approver is connected. */
  readonly askFallback: ExecSecurity;
  readonly allowlist: readonly CommandRule[];
  readonly denylist: readonly CommandRule[];
  /** Read-only binaries allowed without a rule (`pure`: arguments are not paths). */
  readonly safeBins: ReadonlyMap<string, 'pure' | 'confined'>;
}

export interface ExecPolicyContext {
  /** Where the command starts. */
  readonly cwd: string;
  /** The agent's workspace (real path); default read-only binaries stay inside it. */
  readonly workspace: string;
  /** PATH of the child process. */
  readonly pathEnv: string;
  readonly home?: string | undefined;
  /** Environment variables the call sets for the child. */
  readonly envKeys?: readonly string[];
}

export type CommandOutcome = 'allow' | 'miss' | 'deny';

export interface CommandCheck {
  readonly text: string;
  readonly outcome: CommandOutcome;
  readonly reason: string;
  readonly resolvedPath?: string;
  /** The rule "allow always" would add for this command. */
  readonly rule?: CommandRule;
  /** Why "allow always" cannot cover this command. */
  readonly alwaysRefused?: string;
}

export interface ExecVerdict {
  readonly decision: 'allow' | 'ask' | 'deny';
  /** One line for people and models: what needs approval or why it is denied. */
  readonly reason: string;
  readonly checks: readonly CommandCheck[];
  readonly findings: readonly ScriptFinding[];
  /** "allow always" can be offered: every miss has a rule to add. */
  readonly allowAlways: boolean;
  readonly rules: readonly CommandRule[];
  /** The executable of the first command that needs approval (or of the first command). */
  readonly resolvedPath?: string;
  /** Set when the line is one plain command: run this argv directly, no shell in between. */
  readonly directArgv?: readonly string[];
}

const MAX_DEPTH = 6;
const MAX_COMMANDS = 512;

interface SiteFlags {
  /** Arguments come from input (xargs, find -exec): unknown here. */
  readonly argsUnknown?: boolean;
  /** The wrapper or shell this command runs under; "allow always" is not offered under one. */
  readonly under?: string;
  readonly depth: number;
}

class Evaluation {
  readonly checks: CommandCheck[] = [];
  readonly findings: ScriptFinding[] = [];
  private functions = new Set<string>();

  constructor(
    private readonly policy: ExecPolicy,
    private readonly ctx: ExecPolicyContext,
  ) {}

  private add(check: CommandCheck, flags: SiteFlags): void {
    if (this.checks.length >= MAX_COMMANDS) {
      if (this.checks.length === MAX_COMMANDS) this.findings.push({ text: '', reason: `has more than ${MAX_COMMANDS} commands` });
      return;
    }
    if (check.outcome === 'miss' && flags.under && !check.alwaysRefused) {
      this.checks.push({ ...check, alwaysRefused: `allow always is not offered for commands run through ${flags.under}` });
    } else this.checks.push(check);
  }

  /** Evaluates a script; returns its inventory's sites for the caller's direct-run check. */
  script(text: string, flags: SiteFlags): CommandSite[] | undefined {
    if (flags.depth > MAX_DEPTH) {
      this.findings.push({ text, reason: 'nests shells too deeply to check' });
      return undefined;
    }
    const source = new ShellSource(text);
    const file = parseShell(text);
    const inventory = inventoryOf(file, source);
    this.findings.push(...inventory.findings);
    for (const name of inventory.functions) this.functions.add(name);
    for (const site of inventory.commands) this.site(site.words, site, flags);
    const stmts = nodes(file, 'Stmts');
    const only = stmts.length === 1 ? stmts[0]! : undefined;
    const plain = only && child(only, 'Cmd')?.type === 'CallExpr' && !only.Redirs && !only.Background && !only.Negated && inventory.commands.length === 1 && inventory.commands[0]!.assigns.length === 0;
    return plain ? inventory.commands : undefined;
  }

  site(words: readonly ShellWord[], site: CommandSite, flags: SiteFlags): void {
    const name = words[0];
    if (!name) return;
    const text = words.map((w) => w.text).join(' ');
    if (name.value === undefined) {
      this.add({ text, outcome: 'miss', reason: `the command name ${name.text} is only known when it runs`, alwaysRefused: 'the command is chosen at run time' }, flags);
      return;
    }
    const args = words.slice(1);
    if (this.functions.has(name.value)) {
      this.add({ text, outcome: 'allow', reason: `calls ${name.value}, a function defined in this command (its body is checked)` }, flags);
      return;
    }
    if (BASH_BUILTINS.has(name.value)) this.builtin(name.value, args, text, site, flags);
    else this.external(name.value, args, text, site, flags);
  }

  private builtin(name: string, args: readonly ShellWord[], text: string, site: CommandSite, flags: SiteFlags): void {
    const refused = `${name} is a shell builtin; there is no program to allowlist`;
    if (name === 'command' || name === 'builtin' || name === 'exec') {
      const unwrapped = unwrapOptions(WRAPPERS.get(name)!, args);
      if (unwrapped.noExec || (unwrapped.inner.length === 0 && !unwrapped.problem)) {
        this.add({ text, outcome: 'allow', reason: `${name} runs nothing here` }, flags);
      } else if (unwrapped.problem) {
        this.add({ text, outcome: 'miss', reason: `${name} ${unwrapped.problem}`, alwaysRefused: refused }, flags);
      } else this.site(unwrapped.inner, site, { ...flags, under: flags.under ?? name });
      return;
    }
    if (DIRECTORY_BUILTINS.has(name)) {
      const targets = args.filter((a) => a.value === undefined || !a.value.startsWith('-') || a.value === '-');
      const escape = targets.length === 0 ? `${name} with no directory goes to the home directory` : targets.map((a) => (a.value === '-' ? `${name} - returns to the previous directory` : escapesWorkspace(a))).find(Boolean);
      this.add(escape ? { text, outcome: 'miss', reason: escape, alwaysRefused: refused } : { text, outcome: 'allow', reason: `${name} stays inside the workspace` }, flags);
      return;
    }
    if (VARIABLE_BUILTINS.has(name)) {
      const named = name === 'printf' ? args.slice(args.findIndex((a) => a.value === '-v') + 1, args.findIndex((a) => a.value === '-v') < 0 ? 0 : undefined).slice(0, 1) : args;
      const bad = named.find((a) => a.value === undefined || isSensitiveVariable(a.value));
      if (bad) {
        this.add({ text, outcome: 'miss', reason: bad.value === undefined ? `${name} sets a variable chosen at run time` : `${name} sets ${bad.value}, which changes how commands are found or run`, alwaysRefused: refused }, flags);
        return;
      }
    }
    if (PURE_BUILTINS.has(name)) this.add({ text, outcome: 'allow', reason: `${name} is a shell builtin without side effects` }, flags);
    else this.add({ text, outcome: 'miss', reason: `the shell builtin ${name} can change the shell or run code`, alwaysRefused: refused }, flags);
  }

  private external(name: string, args: readonly ShellWord[], text: string, site: CommandSite, flags: SiteFlags): void {
    const exe = resolveExecutable(name, this.ctx.cwd, this.ctx.pathEnv);
    if (!exe) {
      this.add({ text, outcome: 'miss', reason: `${name} was not found (not on PATH, or not executable)`, alwaysRefused: 'there is no program to allowlist' }, flags);
      return;
    }
    const values = flags.argsUnknown ? undefined : args.map((a) => a.value);
    const resolvedPath = exe.path;
    const deny = findRule(this.policy.denylist, exe, values, this.ctx.home);
    if (deny) {
      this.add({ text, outcome: 'deny', reason: `${resolvedPath} matches the deny rule ${deny.pattern}${deny.argPattern !== undefined ? ` ${deny.argPattern}` : ''}`, resolvedPath }, flags);
      return;
    }
    const base = basename(exe.path);
    const realBase = basename(exe.realPath);
    const shell = SHELLS.get(base) ?? SHELLS.get(realBase);
    if (shell) return this.shell(base, shell, exe, args, text, site, flags);
    const allowed = findRule(this.policy.allowlist, exe, values, this.ctx.home);
    const wrapperName = PRIVILEGED.has(base) ? base : PRIVILEGED.has(realBase) ? realBase : WRAPPERS.has(base) ? base : WRAPPERS.has(realBase) ? realBase : undefined;
    if (wrapperName && (PRIVILEGED.has(wrapperName) || !allowed)) return this.wrapper(wrapperName, exe, args, text, site, flags);
    if ((base === 'xargs' || realBase === 'xargs') && !allowed) return this.xargs(exe, args, text, site, flags);
    const execAt = args.findIndex((a) => a.value !== undefined && FIND_EXEC.has(a.value));
    if ((base === 'find' || realBase === 'find') && execAt >= 0) {
      const end = args.findIndex((a, i) => i > execAt && (a.value === ';' || a.value === '+'));
      this.site(args.slice(execAt + 1, end < 0 ? undefined : end), site, { ...flags, argsUnknown: true, under: 'find -exec' });
    }
    if (allowed) {
      this.add({ text, outcome: 'allow', reason: `${resolvedPath} is allowlisted (${allowed.pattern})`, resolvedPath }, flags);
      return;
    }
    const interpreter = interpreterKind(base, values ?? []) ?? interpreterKind(realBase, values ?? []);
    if (interpreter) {
      if (interpreter.inlineCode || (values !== undefined && !values.some((v) => v !== undefined && !v.startsWith('-')))) {
        const how = interpreter.inlineCode ? 'given inline' : 'from its input';
        this.add({ text, outcome: 'miss', reason: `${base} runs code ${how}`, resolvedPath, alwaysRefused: `allow always would let ${base} run any code` }, flags);
      } else if (values && values.every((v) => v !== undefined)) {
        this.add({ text, outcome: 'miss', reason: `${resolvedPath} runs code from files and is not on the allowlist`, resolvedPath, rule: { pattern: resolvedPath, argPattern: values.map((v) => escapeArgumentGlob(v!)).join(' ') } }, flags);
      } else {
        this.add({ text, outcome: 'miss', reason: `${base} runs code chosen at run time`, resolvedPath, alwaysRefused: 'its arguments are only known when it runs' }, flags);
      }
      return;
    }
    const safe = this.safeBin(exe, base, args, site, flags);
    if (safe === true) {
      this.add({ text, outcome: 'allow', reason: `${base} is a read-only program allowed by default`, resolvedPath }, flags);
      return;
    }
    this.add({ text, outcome: 'miss', reason: safe || `${resolvedPath} is not on the allowlist`, resolvedPath, rule: { pattern: resolvedPath } }, flags);
  }

  /** true when allowed as a default read-only binary; a reason when it is one but this use is not; undefined otherwise. */
  private safeBin(exe: ResolvedExecutable, base: string, args: readonly ShellWord[], site: CommandSite, flags: SiteFlags): true | string | undefined {
    const kind = this.policy.safeBins.get(base);
    if (!kind || !TRUSTED_BIN_DIRS.includes(dirname(exe.realPath))) return undefined;
    if (kind === 'pure') return true;
    if (flags.argsUnknown) return `${base} gets arguments from its input here, which cannot be checked`;
    if (!isInside(this.ctx.cwd, this.ctx.workspace)) return `${base} runs outside the workspace`;
    for (const word of [...args, ...site.inputs]) {
      const escape = escapesWorkspace(word);
      if (escape) return `${base} reads outside the workspace: ${escape}`;
    }
    return true;
  }

  private wrapper(name: string, exe: ResolvedExecutable, args: readonly ShellWord[], text: string, site: CommandSite, flags: SiteFlags): void {
    const spec = WRAPPERS.get(name);
    const privileged = PRIVILEGED.has(name);
    if (!spec) {
      // su, sudoedit: no command to see through
      this.add({ text, outcome: 'miss', reason: `${name} runs commands as another user`, resolvedPath: exe.path, alwaysRefused: `allow always is not offered for ${name}` }, flags);
      return;
    }
    const unwrapped = unwrapOptions(spec, args);
    const refusal = `allow always is not offered for ${name}; it runs other commands`;
    for (const assigned of unwrapped.assignments) {
      if (isSensitiveVariable(assigned)) this.findings.push({ text, reason: `sets ${assigned}, which changes how commands are found or run` });
    }
    if (unwrapped.problem) {
      this.add({ text, outcome: 'miss', reason: `${name} ${unwrapped.problem}`, resolvedPath: exe.path, alwaysRefused: refusal }, flags);
      return;
    }
    if (privileged) this.add({ text, outcome: 'miss', reason: `${name} runs a command as another user`, resolvedPath: exe.path, alwaysRefused: refusal }, flags);
    if (unwrapped.inner.length === 0 || unwrapped.noExec) {
      if (!privileged) this.add({ text, outcome: 'miss', reason: `${exe.path} is not on the allowlist`, resolvedPath: exe.path, alwaysRefused: refusal }, flags);
      return;
    }
    if (!privileged) this.add({ text, outcome: 'allow', reason: `${name} runs the next command (checked on its own)`, resolvedPath: exe.path }, flags);
    this.site(unwrapped.inner, site, { ...flags, under: flags.under ?? name });
  }

  private xargs(exe: ResolvedExecutable, args: readonly ShellWord[], text: string, site: CommandSite, flags: SiteFlags): void {
    let i = 0;
    while (i < args.length) {
      const v = args[i]!.value;
      if (v === undefined) break;
      if (v === '--') {
        i++;
        break;
      }
      if (!v.startsWith('-') || v === '-') break;
      i += XARGS_VALUED.has(v) ? 2 : 1;
    }
    const inner = args.slice(i);
    this.add({ text, outcome: 'allow', reason: 'xargs runs the next command with arguments from its input (checked on its own)', resolvedPath: exe.path }, flags);
    if (inner.length === 0) return; // xargs alone runs echo
    this.site(inner, site, { ...flags, argsUnknown: true, under: flags.under ?? 'xargs' });
  }

  private shell(name: string, family: 'posix' | 'other', exe: ResolvedExecutable, args: readonly ShellWord[], text: string, site: CommandSite, flags: SiteFlags): void {
    const refusal = `allow always is not offered for ${name}; it would run anything`;
    const miss = (reason: string): void => this.add({ text, outcome: 'miss', reason, resolvedPath: exe.path, alwaysRefused: refusal }, flags);
    let inline = false;
    let i = 0;
    for (; i < args.length; i++) {
      const v = args[i]!.value;
      if (v === undefined) return miss(`${name} gets options chosen at run time`);
      if (v === '--' || v === '-') {
        i++;
        break;
      }
      if (v === '--norc' || v === '--noprofile' || v === '--posix' || v === '--noediting') continue;
      if (v.startsWith('--')) return miss(`${name} ${v} changes what the shell reads before the command`);
      if (!/^[-+][A-Za-z]+$/.test(v)) break;
      const letters = v.slice(1);
      if (/[ilsI]/.test(letters)) return miss(`${name} ${v} reads startup files or standard input`);
      if (letters.includes('c')) inline = true;
      if (letters.includes('o') || letters.includes('O')) i++; // -o option-name
    }
    const operand = args[i];
    if (!inline) return miss(operand ? `${name} runs the script file ${operand.text}` : `${name} reads commands from its input`);
    if (!operand || operand.value === undefined) return miss(`${name} -c runs code only known when it runs`);
    if (family === 'other') return miss(`${name} -c runs code in a language this policy does not read`);
    this.add({ text, outcome: 'allow', reason: `${name} -c runs the script given to it (its commands are checked)`, resolvedPath: exe.path }, flags);
    try {
      this.script(operand.value, { depth: flags.depth + 1, under: flags.under ?? `${name} -c` });
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      miss(`${name} -c gets a script that does not parse: ${error.message}`);
    }
  }
}

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function summarize(items: readonly { text: string; reason: string }[]): string {
  const shown = items.slice(0, 4).map((i) => (i.text ? `\`${i.text.length > 80 ? `${i.text.slice(0, 77)}…` : i.text}\`: ${i.reason}` : i.reason));
  return items.length > 4 ? `${shown.join('; ')}; and ${items.length - 4} more` : shown.join('; ');
}

/** Evaluates a shell command line (run with `bash -c`). */
export function evaluateExecCommand(command: string, policy: ExecPolicy, ctx: ExecPolicyContext): ExecVerdict {
  if (policy.security === 'deny') return denied('exec is turned off for this agent (security "deny")');
  const evaluation = new Evaluation(policy, ctx);
  let plain: CommandSite[] | undefined;
  try {
    plain = evaluation.script(command, { depth: 0 });
  } catch (error) {
    if (error instanceof ShellSyntaxError) return denied(`the command is not valid shell (${error.message}); fix the syntax and try again`);
    throw error;
  }
  for (const key of ctx.envKeys ?? []) {
    if (isSensitiveVariable(key)) evaluation.findings.push({ text: `env.${key}`, reason: `sets ${key}, which changes how commands are found or run` });
  }
  const verdict = decide(policy, evaluation.checks, evaluation.findings);
  const first = plain?.[0];
  const check = evaluation.checks.length === 1 ? evaluation.checks[0] : undefined;
  if (first && check?.resolvedPath && check.outcome !== 'deny' && first.words.every((w) => w.value !== undefined) && !BASH_BUILTINS.has(first.words[0]!.value!)) {
    return { ...verdict, directArgv: [check.resolvedPath, ...first.words.slice(1).map((w) => w.value!)] };
  }
  return verdict;
}

function denied(reason: string): ExecVerdict {
  return { decision: 'deny', reason, checks: [], findings: [], allowAlways: false, rules: [] };
}

function decide(policy: ExecPolicy, checks: readonly CommandCheck[], findings: readonly ScriptFinding[]): ExecVerdict {
  const base = { checks, findings };
  const firstPath = checks.find((c) => c.outcome !== 'allow' && c.resolvedPath)?.resolvedPath ?? checks.find((c) => c.resolvedPath)?.resolvedPath;
  const withPath = firstPath ? { resolvedPath: firstPath } : {};
  const denies = checks.filter((c) => c.outcome === 'deny');
  if (denies.length > 0) return { ...base, ...withPath, decision: 'deny', reason: `denied by rule: ${summarize(denies)}`, allowAlways: false, rules: [] };
  if (policy.security === 'full') {
    return policy.ask === 'always'
      ? { ...base, ...withPath, decision: 'ask', reason: 'every command needs approval (ask "always")', allowAlways: false, rules: [] }
      : { ...base, ...withPath, decision: 'allow', reason: 'security "full" allows every command', allowAlways: false, rules: [] };
  }
  const misses = checks.filter((c) => c.outcome === 'miss');
  const problems = [...misses, ...findings];
  if (problems.length === 0) {
    return policy.ask === 'always'
      ? { ...base, ...withPath, decision: 'ask', reason: 'every command needs approval (ask "always")', allowAlways: false, rules: [] }
      : { ...base, ...withPath, decision: 'allow', reason: 'every command is allowed', allowAlways: false, rules: [] };
  }
  const reason = summarize(problems);
  if (policy.ask === 'off') return { ...base, ...withPath, decision: 'deny', reason: `${reason} (ask is "off", so nothing can approve it)`, allowAlways: false, rules: [] };
  const allowAlways = policy.ask !== 'always' && findings.length === 0 && misses.every((m) => m.rule && !m.alwaysRefused);
  const rules = allowAlways ? dedupe(misses.map((m) => m.rule!)) : [];
  return { ...base, ...withPath, decision: 'ask', reason, allowAlways, rules };
}

function dedupe(rules: readonly CommandRule[]): CommandRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = `${r.pattern}\0${r.argPattern ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A shell word that means exactly `text`. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Evaluates an argv (system.run on a node host): the same checks as the quoted command line. */
export function evaluateExecArgv(argv: readonly string[], policy: ExecPolicy, ctx: ExecPolicyContext): ExecVerdict {
  if (argv.length === 0) return denied('an empty argv runs nothing');
  return evaluateExecCommand(argv.map(shellQuote).join(' '), policy, ctx);
}
