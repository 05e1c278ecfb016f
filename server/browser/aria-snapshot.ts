// The page snapshot the model reads: Playwright's AI-mode ARIA snapshot (YAML-like lines with
// `[ref=eN]` element refs that `act` takes and that stay the same for an element across snapshots),
// optionally compacted, reduced to interactive elements, and capped in size.

/** Roles a model acts on (upstream's snapshot-roles lists). */
export const INTERACTIVE_ROLES: ReadonlySet<string> = new Set([
  'button', 'checkbox', 'combobox', 'link', 'listbox', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
  'option', 'radio', 'searchbox', 'slider', 'spinbutton', 'switch', 'tab', 'textbox', 'treeitem',
]);

/** Roles that only group others: dropped by `compact` when they have no name. */
const STRUCTURAL_ROLES: ReadonlySet<string> = new Set([
  'application', 'directory', 'document', 'generic', 'grid', 'group', 'ignored', 'list', 'menu', 'menubar',
  'none', 'presentation', 'row', 'rowgroup', 'table', 'tablist', 'toolbar', 'tree', 'treegrid',
]);

export interface SnapshotNode {
  readonly depth: number;
  readonly role: string;
  readonly name: string | undefined;
  readonly ref: string | undefined;
  /** Text after the colon on the same line (a textbox value, a paragraph's text). */
  readonly value: string | undefined;
  /** The line as Playwright wrote it, without its indentation. */
  readonly text: string;
}

export interface SnapshotOptions {
  /** Only elements with a ref and an interactive role, as a flat list. */
  readonly interactive?: boolean;
  /** Drop unnamed structural wrappers, promoting their children. */
  readonly compact?: boolean;
  readonly maxChars: number;
}

export interface SnapshotText {
  readonly snapshot: string;
  readonly truncated: boolean;
  readonly stats: { readonly lines: number; readonly chars: number; readonly refs: number; readonly interactive: number };
}

const LINE = /^(\s*)- (.*)$/;
const REF = /\[ref=((?:f\d+)?e\d+)\]/;

/** Parses one snapshot line (`- role "name" [attr] [ref=e1]: value`); undefined for continuation lines. */
export function parseSnapshotLine(line: string): SnapshotNode | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  const depth = match[1]!.length / 2;
  const text = match[2]!;
  let i = 0;
  while (i < text.length && text[i] !== ' ' && text[i] !== ':') i++;
  const role = text.slice(0, i);
  let name: string | undefined;
  if (text[i] === ' ' && text[i + 1] === '"') {
    let j = i + 2;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    try {
      name = JSON.parse(text.slice(i + 1, j + 1)) as string;
    } catch {
      name = text.slice(i + 2, j);
    }
    i = j + 1;
  }
  const rest = text.slice(i);
  const ref = REF.exec(rest)?.[1];
  const colon = rest.search(/\]?: |:$/);
  let value: string | undefined;
  if (colon >= 0) {
    const after = rest.slice(rest.indexOf(':', colon) + 1).trim();
    if (after) value = after;
  }
  return { depth, role, name, ref, value, text };
}

/** Every node of a snapshot, in order (continuation lines of multi-line values are skipped). */
export function snapshotNodes(raw: string): SnapshotNode[] {
  const nodes: SnapshotNode[] = [];
  for (const line of raw.split('\n')) {
    const node = parseSnapshotLine(line);
    if (node) nodes.push(node);
  }
  return nodes;
}

function compactLines(raw: string): string[] {
  const out: string[] = [];
  // Depths of the open ancestors and whether each was dropped.
  const stack: { depth: number; dropped: boolean }[] = [];
  let droppedAbove = 0;
  for (const line of raw.split('\n')) {
    const node = parseSnapshotLine(line);
    if (!node) {
      if (line.trim()) out.push(line);
      continue;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= node.depth) {
      if (stack.pop()!.dropped) droppedAbove--;
    }
    const dropped = STRUCTURAL_ROLES.has(node.role) && node.name === undefined && node.value === undefined;
    stack.push({ depth: node.depth, dropped });
    if (dropped) {
      droppedAbove++;
      continue;
    }
    out.push(`${'  '.repeat(node.depth - droppedAbove)}- ${node.text}`);
  }
  return out;
}

/** Shapes a raw AI-mode snapshot for the model; counts refs over the whole page, before the cap. */
export function formatSnapshot(raw: string, options: SnapshotOptions): SnapshotText {
  let refs = 0;
  let interactive = 0;
  const flat: string[] = [];
  for (const line of raw.split('\n')) {
    if (!line.includes('[ref=')) continue;
    const node = parseSnapshotLine(line);
    if (!node?.ref) continue;
    refs++;
    if (INTERACTIVE_ROLES.has(node.role)) {
      interactive++;
      if (options.interactive) flat.push(`- ${node.text}`);
    }
  }
  const lines = options.interactive ? flat : options.compact ? compactLines(raw) : raw.split('\n');
  let snapshot = lines.join('\n');
  let truncated = false;
  if (snapshot.length > options.maxChars) {
    const cut = snapshot.lastIndexOf('\n', options.maxChars);
    const kept = snapshot.slice(0, cut > 0 ? cut : options.maxChars);
    snapshot = `${kept}\n[…truncated: ${snapshot.length - kept.length} more characters; use interactive:true, mode:"efficient", a selector or a larger maxChars]`;
    truncated = true;
  }
  return { snapshot, truncated, stats: { lines: lines.length, chars: snapshot.length, refs, interactive } };
}

/** Upstream's `aria` format: one entry per node with a ref, at most `limit`. */
export function ariaNodeList(raw: string, limit: number): { ref: string; role: string; name: string; value?: string; depth: number }[] {
  const out: { ref: string; role: string; name: string; value?: string; depth: number }[] = [];
  for (const node of snapshotNodes(raw)) {
    if (!node.ref) continue;
    const entry: { ref: string; role: string; name: string; value?: string; depth: number } = { ref: node.ref, role: node.role, name: node.name ?? '', depth: node.depth };
    if (node.value !== undefined) entry.value = node.value;
    out.push(entry);
    if (out.length >= limit) break;
  }
  return out;
}
