// Parses shell text with mvdan-sh (mvdan.cc/sh compiled to JS by GopherJS) and turns its syntax
// tree into plain objects. Reading the tree through the package's JS wrappers costs ~80 µs per
// field access; walking the Go structs through GopherJS's own type metadata costs microseconds
// and visits every field, so no nested node (a `$(…)` inside `${x:-…}`, a heredoc) can be missed.
import sh from 'mvdan-sh';

/** One node: `type` is the Go type name (`CallExpr`, `Word`, `Lit`…); fields keep their Go names. */
export interface ShellNode {
  readonly type: string;
  readonly [field: string]: unknown;
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

interface GoType {
  readonly kind: number;
  readonly string: string;
  readonly elem?: GoType & { readonly fields?: readonly { readonly prop: string; readonly name: string; readonly typ: GoType }[] };
  readonly nil?: unknown;
}
interface GoValue {
  readonly constructor: GoType;
  readonly [key: string]: unknown;
}
interface GoSlice {
  readonly $array: readonly unknown[];
  readonly $offset: number;
  readonly $length: number;
}

// GopherJS reflect kinds (stable across GopherJS releases; they mirror Go's reflect.Kind).
const KIND_BOOL = 1;
const KIND_INTERFACE = 20;
const KIND_PTR = 22;
const KIND_SLICE = 23;
const KIND_STRING = 24;
const KIND_STRUCT = 25;

// Go strings are byte strings in GopherJS: one char per UTF-8 byte.
const NON_ASCII = /[^\x00-\x7f]/;
const goString = (value: string): string => (NON_ASCII.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value);

function convertPointer(value: GoValue): ShellNode | undefined {
  const type = value.constructor;
  if (value === type.nil || !type.elem?.fields) return undefined;
  const node: Record<string, unknown> = { type: type.elem.string.startsWith('syntax.') ? type.elem.string.slice(7) : type.elem.string };
  for (const field of type.elem.fields) {
    const converted = convert(value[field.prop], field.typ);
    if (converted !== undefined) node[field.name] = converted;
  }
  return node as ShellNode;
}

function convert(value: unknown, type: GoType): unknown {
  switch (type.kind) {
    case KIND_PTR:
      return convertPointer(value as GoValue);
    case KIND_INTERFACE: {
      const dynamic = (value as GoValue | null)?.constructor;
      // A nil interface has no Go type behind it.
      if (!dynamic || typeof dynamic.string !== 'string' || dynamic.kind === undefined) return undefined;
      return convert(value, dynamic);
    }
    case KIND_SLICE: {
      const slice = value as GoSlice;
      if (!slice || slice.$length === 0) return undefined;
      const out: unknown[] = [];
      for (let i = 0; i < slice.$length; i++) {
        const item = convert(slice.$array[slice.$offset + i], type.elem!);
        if (item !== undefined) out.push(item);
      }
      return out.length > 0 ? out : undefined;
    }
    case KIND_STRUCT: {
      // Positions become byte offsets; a position with no line is "not set".
      if (type.string !== 'syntax.Pos') return undefined;
      const pos = value as { offs: number; lineCol: number };
      return pos.lineCol === 0 ? undefined : pos.offs;
    }
    case KIND_STRING:
      return value === '' ? undefined : goString(value as string);
    case KIND_BOOL:
      return value === true ? true : undefined;
    default:
      return typeof value === 'number' ? value : undefined;
  }
}

let parser: ReturnType<typeof sh.syntax.NewParser> | undefined;

/** The syntax tree of `source` (bash dialect). Throws ShellSyntaxError with the parser's message. */
export function parseShell(source: string): ShellNode {
  parser ??= sh.syntax.NewParser();
  let file: { __internal_object__: unknown };
  try {
    file = parser.Parse(source, '');
  } catch (error) {
    parser = undefined; // a parser that failed is not reused
    const text = typeof (error as { Error?: () => string })?.Error === 'function' ? (error as { Error: () => string }).Error() : String(error);
    throw new ShellSyntaxError(text);
  }
  const tree = convertPointer(file.__internal_object__ as GoValue);
  if (!tree || tree.type !== 'File') throw new ShellSyntaxError('the shell parser returned no syntax tree');
  return tree;
}

/** Child nodes under `field` (a list or a single node), as an array. */
export function nodes(node: ShellNode | undefined, field: string): readonly ShellNode[] {
  const value = node?.[field];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as ShellNode[]) : [value as ShellNode];
}

export function child(node: ShellNode | undefined, field: string): ShellNode | undefined {
  const value = node?.[field];
  return value !== undefined && !Array.isArray(value) && typeof value === 'object' ? (value as ShellNode) : undefined;
}

/** Every node below `node` (depth first), for checks that must not miss anything nested. */
export function* descendants(node: ShellNode): Generator<ShellNode> {
  for (const key in node) {
    if (key === 'type') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object') {
        yield item as ShellNode;
        yield* descendants(item as ShellNode);
      }
    } else if (value && typeof value === 'object') {
      yield value as ShellNode;
      yield* descendants(value as ShellNode);
    }
  }
}
