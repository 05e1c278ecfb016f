// Argument patterns of allowlist rules, matched against the arguments joined by single spaces:
// `*` matches within one argument (no space), `**` matches anything, `?` one character of an
// argument, `\` makes the next character literal. Matched by dynamic programming, so no pattern
// can make a match take more than length × pattern steps (a regex could backtrack for ages).

type Token = { readonly kind: 'lit'; readonly char: string } | { readonly kind: 'star' | 'globstar' | 'any' };

const MAX_TEXT = 16_384;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) tokens.push({ kind: 'lit', char: pattern[++i]! });
    else if (c === '*' && pattern[i + 1] === '*') {
      tokens.push({ kind: 'globstar' });
      while (pattern[i + 1] === '*') i++;
    } else if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'any' });
    else tokens.push({ kind: 'lit', char: c });
  }
  return tokens;
}

export function matchArgumentGlob(pattern: string, text: string): boolean {
  if (text.length > MAX_TEXT) return false;
  const tokens = tokenize(pattern);
  // row[j]: the first i characters of text match the first j tokens.
  let row = new Array<boolean>(tokens.length + 1).fill(false);
  row[0] = true;
  for (let j = 1; j <= tokens.length; j++) row[j] = row[j - 1]! && tokens[j - 1]!.kind !== 'lit' && tokens[j - 1]!.kind !== 'any';
  for (let i = 1; i <= text.length; i++) {
    const c = text[i - 1]!;
    const next = new Array<boolean>(tokens.length + 1).fill(false);
    for (let j = 1; j <= tokens.length; j++) {
      const t = tokens[j - 1]!;
      if (t.kind === 'lit') next[j] = row[j - 1]! && t.char === c;
      else if (t.kind === 'any') next[j] = row[j - 1]! && c !== ' ';
      else if (t.kind === 'globstar') next[j] = next[j - 1]! || row[j]!;
      else next[j] = next[j - 1]! || (row[j]! && c !== ' ');
    }
    row = next;
  }
  return row[tokens.length]!;
}

/** A pattern matching exactly `text`. */
export function escapeArgumentGlob(text: string): string {
  return text.replace(/[\\*?]/g, '\\$&');
}
