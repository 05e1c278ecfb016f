// "Did you mean" for a tool name nobody registered: the registered names within two edits, or that
// contain it (or it them), closest first, at most three.
import { distance } from 'fastest-levenshtein';

export function closeToolNames(wanted: string, known: readonly string[]): string[] {
  const needle = wanted.toLowerCase();
  return known
    .map((name) => ({ name, d: distance(needle, name.toLowerCase()) }))
    .filter(({ name, d }) => d <= 2 || (needle.length >= 3 && (name.toLowerCase().includes(needle) || needle.includes(name.toLowerCase()))))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map(({ name }) => name);
}
