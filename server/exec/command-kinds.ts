// What the policy knows about command names: bash builtins, wrappers that run another command,
// shells and interpreters that run code given inline, privilege changers, and the read-only
// binaries allowed by default.

/** Variables that change how commands are found, how the shell reads its input, or what programs load. */
const SENSITIVE_EXACT = new Set([
  'PATH', 'IFS', 'ENV', 'CDPATH', 'GLOBIGNORE', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'EXECIGNORE', 'HOME',
  'PAGER', 'EDITOR', 'VISUAL', 'SHELL', 'LESSOPEN', 'LESSCLOSE', 'MANPAGER', 'BROWSER', 'TMPDIR',
]);
const SENSITIVE_PREFIX = /^(?:LD_|DYLD_|BASH_|GIT_|PYTHON|NODE_|NPM_CONFIG_|PERL|RUBY|LUA_|JAVA_TOOL|_JAVA_|SSH_|GCONV_|MALLOC_)/;
const SENSITIVE_SUFFIX = /(?:_COMMAND|_OPTIONS|_OPTS|_PAGER|_EDITOR|_SHELL|_PRELOAD)$/;

export function isSensitiveVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return SENSITIVE_EXACT.has(upper) || SENSITIVE_PREFIX.test(upper) || SENSITIVE_SUFFIX.test(upper);
}

/** Builtins with no effect beyond their output and the shell's own control flow. */
export const PURE_BUILTINS = new Set([
  'echo', 'printf', 'true', 'false', ':', 'test', '[', 'pwd', 'type', 'set', 'shift', 'exit', 'return', 'break',
  'continue', 'wait', 'times', 'umask', 'getopts', 'read', 'unset', 'mapfile', 'readarray', 'local', 'export',
  'declare', 'typeset', 'readonly', 'let', 'jobs', 'help', 'caller', 'dirs',
]);
/** Builtins that write the variables named in their arguments. */
export const VARIABLE_BUILTINS = new Set(['read', 'unset', 'mapfile', 'readarray', 'getopts', 'printf']);
/** Builtins whose path arguments move the shell (kept inside the workspace). */
export const DIRECTORY_BUILTINS = new Set(['cd', 'pushd']);
/** Every bash builtin and keyword: a name here never reaches PATH lookup. */
export const BASH_BUILTINS = new Set([
  ...PURE_BUILTINS, ...DIRECTORY_BUILTINS, 'popd', 'alias', 'unalias', 'bg', 'fg', 'bind', 'builtin', 'command',
  'compgen', 'complete', 'compopt', 'disown', 'enable', 'eval', 'exec', 'fc', 'hash', 'history', 'kill', 'logout',
  'shopt', 'source', '.', 'suspend', 'trap', 'ulimit',
]);

export type ShellFamily = 'posix' | 'other';
/** Shells: `-c` code is read by this parser for POSIX-like shells, opaque for the others. */
export const SHELLS: ReadonlyMap<string, ShellFamily> = new Map([
  ['sh', 'posix'], ['bash', 'posix'], ['dash', 'posix'], ['ash', 'posix'], ['ksh', 'posix'], ['mksh', 'posix'],
  ['rbash', 'posix'], ['zsh', 'other'], ['fish', 'other'], ['csh', 'other'], ['tcsh', 'other'], ['pwsh', 'other'],
  ['busybox', 'other'], ['xonsh', 'other'], ['nu', 'other'],
]);

/** Interpreters and the options that hand them code inline (awk and sed take code as their first operand). */
const INTERPRETER_FAMILIES: readonly { test: RegExp; inline: readonly string[]; codeOperand?: boolean }[] = [
  { test: /^python[0-9.]*$|^pypy[0-9.]*$/, inline: ['-c'] },
  { test: /^(?:node|nodejs|bun|deno|tsx|ts-node)$/, inline: ['-e', '--eval', '-p', '--print', 'eval'] },
  { test: /^perl[0-9.]*$/, inline: ['-e', '-E'] },
  { test: /^ruby[0-9.]*$|^irb$/, inline: ['-e'] },
  { test: /^php[0-9.]*$/, inline: ['-r'] },
  { test: /^lua[0-9.]*$|^luajit$/, inline: ['-e'] },
  { test: /^Rscript$|^R$/, inline: ['-e'] },
  { test: /^osascript$/, inline: ['-e'] },
  { test: /^(?:tclsh|wish|expect)[0-9.]*$/, inline: ['-c'] },
  { test: /^(?:g|m|n)?awk$/, inline: [], codeOperand: true },
  { test: /^(?:g)?sed$/, inline: ['-e', '--expression'], codeOperand: true },
  { test: /^(?:java|jshell|groovy|scala|kotlin|swift|julia|elixir|erl|escript|racket|guile|sbcl|ghci|runghc)$/, inline: ['-e', '-c', '--eval', '-eval'] },
  { test: /^(?:make|gmake|npx|npm|pnpm|yarn|pip[0-9.]*|uv|uvx|pipx)$/, inline: [] },
];

export interface InterpreterKind {
  /** The arguments carry code (an inline option, or awk/sed's program operand). */
  readonly inlineCode: boolean;
}

export function interpreterKind(name: string, args: readonly (string | undefined)[]): InterpreterKind | undefined {
  const family = INTERPRETER_FAMILIES.find((f) => f.test.test(name));
  if (!family) return undefined;
  let inlineCode = false;
  let sawProgramFile = false;
  for (const arg of args) {
    if (arg === undefined) continue;
    const cluster = /^-[A-Za-z]+/.exec(arg)?.[0];
    const inline = family.inline.some(
      (flag) =>
        arg === flag ||
        (flag.startsWith('--') && arg.startsWith(`${flag}=`)) ||
        // single-dash clusters: `-lne`, `-Bc`, `-cprint(1)`
        (flag.length === 2 && flag.startsWith('-') && cluster !== undefined && cluster.includes(flag[1]!)),
    );
    if (inline) inlineCode = true;
    if (arg === '-f' || arg.startsWith('--file')) sawProgramFile = true;
  }
  if (family.codeOperand && !sawProgramFile && args.some((a) => a !== undefined && !a.startsWith('-'))) inlineCode = true;
  return { inlineCode };
}

/** Commands that run another command as a different user. */
export const PRIVILEGED = new Set(['sudo', 'doas', 'su', 'runuser', 'pkexec', 'sudoedit']);

/** How a wrapper's options are read before the command it runs. */
export interface WrapperSpec {
  /** Options followed by a value (`-u user`); attached forms (`-uuser`, `--user=x`) are understood too. */
  readonly valued: ReadonlySet<string>;
  /** Operands before the command (timeout's duration). */
  readonly operands: number;
  /** `NAME=value` words before the command set its environment (env). */
  readonly assignments?: boolean;
  /** Options after which the wrapper runs nothing (`command -v`). */
  readonly noExec?: ReadonlySet<string>;
  /** Options that this policy cannot see through (env -S, env -C). */
  readonly opaque?: ReadonlySet<string>;
}

export const WRAPPERS: ReadonlyMap<string, WrapperSpec> = new Map<string, WrapperSpec>([
  ['env', { valued: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']), operands: 0, assignments: true, opaque: new Set(['-S', '--split-string', '-C', '--chdir']) }],
  ['nohup', { valued: new Set(), operands: 0 }],
  ['nice', { valued: new Set(['-n', '--adjustment']), operands: 0 }],
  ['ionice', { valued: new Set(['-c', '--class', '-n', '--classdata']), operands: 0 }],
  ['timeout', { valued: new Set(['-s', '--signal', '-k', '--kill-after']), operands: 1 }],
  ['stdbuf', { valued: new Set(['-i', '--input', '-o', '--output', '-e', '--error']), operands: 0 }],
  ['setsid', { valued: new Set(), operands: 0 }],
  ['time', { valued: new Set(['-f', '--format', '-o', '--output']), operands: 0, opaque: new Set(['-o', '--output']) }],
  ['command', { valued: new Set(), operands: 0, noExec: new Set(['-v', '-V']) }],
  ['builtin', { valued: new Set(), operands: 0 }],
  ['exec', { valued: new Set(['-a']), operands: 0 }],
  ['sudo', { valued: new Set(['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-T', '--command-timeout', '-U', '--other-user']), operands: 0 }],
  ['doas', { valued: new Set(['-u', '-C']), operands: 0 }],
  ['runuser', { valued: new Set(['-u', '--user', '-g', '--group', '-G', '--supp-group']), operands: 0 }],
  ['pkexec', { valued: new Set(['--user']), operands: 0 }],
]);

/** xargs: options with a value; the command it runs gets arguments from standard input. */
export const XARGS_VALUED = new Set(['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars', '--process-slot-var']);
/** find actions that run a command. */
export const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/**
 * Read-only binaries allowed by default (`tools.exec.safeBins` replaces the list). `pure` ones
 * only print their arguments; `confined` ones read files, and only inside the agent's workspace.
 */
export const DEFAULT_SAFE_BINS: ReadonlyMap<string, 'pure' | 'confined'> = new Map([
  ['echo', 'pure'], ['printf', 'pure'], ['true', 'pure'], ['false', 'pure'], ['basename', 'pure'], ['dirname', 'pure'],
  ['seq', 'pure'], ['whoami', 'pure'], ['uname', 'pure'], ['pwd', 'pure'], ['tr', 'pure'],
  ['ls', 'confined'], ['cat', 'confined'], ['head', 'confined'], ['tail', 'confined'], ['wc', 'confined'],
  ['grep', 'confined'], ['cut', 'confined'], ['nl', 'confined'], ['tac', 'confined'], ['stat', 'confined'],
  ['du', 'confined'], ['cmp', 'confined'], ['comm', 'confined'], ['diff', 'confined'], ['sha256sum', 'confined'],
  ['md5sum', 'confined'], ['realpath', 'confined'], ['readlink', 'confined'],
]);

/** Where a default safe binary must really live (its realpath), so a copy elsewhere is not trusted. */
export const TRUSTED_BIN_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];
