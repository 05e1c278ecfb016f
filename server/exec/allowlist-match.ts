// Allowlist and denylist rules: a glob on the resolved executable path (`*` stays within one
// directory, `**` crosses them; a bare name matches a command found through PATH by its name) and
// an optional argument pattern (argument-glob.ts).
import { basename } from 'node:path';
import picomatch from 'picomatch';
import { LRUCache } from 'lru-cache';
import { matchArgumentGlob } from './argument-glob.js';
import type { ResolvedExecutable } from './executable-resolver.js';

export interface CommandRule {
  readonly pattern: string;
  readonly argPattern?: string;
}

type Matcher = (text: string) => boolean;
const compiled = new LRUCache<string, Matcher>({ max: 1024 });

function matcher(glob: string): Matcher {
  let m = compiled.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true, nonegate: true });
    compiled.set(glob, m);
  }
  return m;
}

function expandHome(pattern: string, home: string | undefined): string {
  if (pattern === '~' || pattern.startsWith('~/')) return home ? `${home}${pattern.slice(1)}` : pattern;
  return pattern;
}

export function ruleMatchesPath(rule: CommandRule, exe: ResolvedExecutable, home: string | undefined): boolean {
  const pattern = expandHome(rule.pattern, home);
  if (!pattern.includes('/')) return exe.viaPath && matcher(pattern)(basename(exe.path));
  const m = matcher(pattern);
  return m(exe.path) || m(exe.realPath);
}

/** Arguments are compared only when every one is known before the command runs. */
export function ruleMatchesArgs(rule: CommandRule, args: readonly (string | undefined)[] | undefined): boolean {
  if (rule.argPattern === undefined) return true;
  if (!args || args.some((a) => a === undefined)) return false;
  return matchArgumentGlob(rule.argPattern, args.join(' '));
}

export function findRule(rules: readonly CommandRule[], exe: ResolvedExecutable, args: readonly (string | undefined)[] | undefined, home: string | undefined): CommandRule | undefined {
  for (const rule of rules) if (ruleMatchesPath(rule, exe, home) && ruleMatchesArgs(rule, args)) return rule;
  return undefined;
}
