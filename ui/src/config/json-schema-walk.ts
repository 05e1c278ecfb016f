// Reading the config's JSON Schema (zod's z.toJSONSchema output) for the form: what kind of input
// a node becomes, and the merge patch between the file as loaded and as edited.

export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  description?: string;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
}

export type FieldKind =
  | { readonly kind: 'object'; readonly properties: Record<string, SchemaNode> }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'string' }
  | { readonly kind: 'number'; readonly integer: boolean; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'lines' }
  | { readonly kind: 'json' };

/** Follows a local `$ref` (`#/$defs/X`, `#/definitions/X`) against the document root. */
export function resolveRef(node: SchemaNode, root: SchemaNode): SchemaNode {
  let current = node;
  for (let hops = 0; current.$ref && hops < 16; hops++) {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(current.$ref);
    const target = match ? (match[1] === '$defs' ? root.$defs : root.definitions)?.[decodeURIComponent(match[2]!)] : undefined;
    if (!target) break;
    current = target;
  }
  return current;
}

const typesOf = (node: SchemaNode): string[] => (Array.isArray(node.type) ? node.type : node.type ? [node.type] : []);

export function fieldKind(raw: SchemaNode, root: SchemaNode): FieldKind {
  const node = resolveRef(raw, root);
  const options = node.anyOf ?? node.oneOf;
  if (options) {
    // A union of constants (z.enum written as anyOf) is still a choice; other unions are edited as JSON.
    const consts = options.map((o) => resolveRef(o, root)).map((o) => (o.const !== undefined ? [o.const] : o.enum));
    if (consts.every((c) => Array.isArray(c) && c.every((v) => typeof v === 'string'))) return { kind: 'enum', options: consts.flat() as string[] };
    return { kind: 'json' };
  }
  if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'string')) return { kind: 'enum', options: node.enum as string[] };
  const types = typesOf(node);
  if (types.includes('object') && node.properties && Object.keys(node.properties).length > 0) return { kind: 'object', properties: node.properties };
  if (types.length === 1) {
    if (types[0] === 'string') return { kind: 'string' };
    if (types[0] === 'boolean') return { kind: 'boolean' };
    if (types[0] === 'number' || types[0] === 'integer') {
      const min = node.minimum ?? node.exclusiveMinimum;
      return { kind: 'number', integer: types[0] === 'integer', min, max: node.maximum };
    }
    if (types[0] === 'array' && node.items && typesOf(resolveRef(node.items, root)).join() === 'string' && !resolveRef(node.items, root).enum) return { kind: 'lines' };
  }
  return { kind: 'json' };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The JSON merge patch (RFC 7386) that turns `from` into `to`: changed keys with their new value,
 * removed keys as null, arrays whole. Undefined when nothing changed.
 */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  if (isPlainObject(from) && isPlainObject(to)) {
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(to)) {
      const sub = key in from ? mergePatchBetween(from[key], value) : value;
      if (sub !== undefined) patch[key] = sub;
    }
    for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
    return Object.keys(patch).length ? patch : undefined;
  }
  return jsonEqual(from, to) ? undefined : to;
}

/** Sets the value at `path`, creating objects on the way; undefined removes it and the objects it leaves empty. */
export function setAtPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const chain: Record<string, unknown>[] = [target];
  for (const key of path.slice(0, -1)) {
    const cursor = chain[chain.length - 1]!;
    if (!isPlainObject(cursor[key])) {
      if (value === undefined) return;
      cursor[key] = {};
    }
    chain.push(cursor[key] as Record<string, unknown>);
  }
  const last = path[path.length - 1]!;
  if (value !== undefined) {
    chain[chain.length - 1]![last] = value;
    return;
  }
  delete chain[chain.length - 1]![last];
  for (let i = chain.length - 1; i > 0 && Object.keys(chain[i]!).length === 0; i--) delete chain[i - 1]![path[i - 1]!];
}

export function getAtPath(source: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), source);
}
