// Keeps the default read-only binaries inside the agent's workspace: an argument or input file
// that names an absolute path, climbs with `..`, starts at `~`, or is only known at run time
// (a variable, a substitution, a brace list, a glob over dot files) makes the command a miss.
import type { ShellWord } from './shell-words.js';

const PARENT_SEGMENT = /(?:^|[/=])\.\.(?:$|\/)/;
const ABSOLUTE = /^\/|=\/|^-[A-Za-z]+\//;
const HOME = /^~|=~/;
/** A glob whose segment starts with a dot can match `..`. */
const DOT_GLOB = /(?:^|\/)\.[^/]*[*?[]/;

/** Why `word` may reach outside the workspace, or undefined when it cannot. */
export function escapesWorkspace(word: ShellWord): string | undefined {
  if (word.procSubst) return undefined;
  if (word.expands) return `${word.text} is only known when it runs`;
  if (word.brace) return `${word.text} expands to a list chosen at run time`;
  if (word.tilde) return `${word.text} names a home directory`;
  const text = word.value ?? word.text;
  if (ABSOLUTE.test(text)) return `${word.text} is outside the workspace`;
  if (PARENT_SEGMENT.test(text)) return `${word.text} climbs out of the working directory`;
  if (HOME.test(text)) return `${word.text} names a home directory`;
  if (word.glob && DOT_GLOB.test(text)) return `${word.text} can match ..`;
  return undefined;
}
