// Help text generated from the contract: each method's doc, scope, declared errors and params.
// The contract (zod schemas) is loaded only when help is asked for, so commands start fast.
import type { GatewayContract } from '../../../contract/gateway.contract.js';

type Methods = GatewayContract['methods'];
export type ContractMethodName = keyof Methods & string;

async function loadContract(): Promise<GatewayContract> {
  return (await import('../../../contract/gateway.contract.js')).contract;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  minimum?: number;
  maximum?: number;
}

function typeOf(schema: JsonSchema | undefined, depth = 0): string {
  if (!schema) return 'any';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join('|');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return depth > 1 ? 'value' : [...new Set(union.map((s) => typeOf(s, depth + 1)))].join('|');
  if (schema.type === 'array') return `${typeOf(schema.items, depth + 1)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join('|');
  const range = schema.minimum !== undefined || schema.maximum !== undefined ? ` ${schema.minimum ?? ''}..${schema.maximum ?? ''}` : '';
  return `${schema.type ?? 'any'}${range}`;
}

/** `name  type  (required)` lines for an object schema's fields; one variant per line group for unions. */
function fieldLines(schema: JsonSchema, indent: string): string[] {
  const variants = schema.properties ? [schema] : (schema.anyOf ?? schema.oneOf ?? []).filter((v) => v.properties);
  const out: string[] = [];
  variants.forEach((variant, i) => {
    if (variants.length > 1) out.push(`${indent}${i === 0 ? 'one of:' : 'or:'}`);
    const required = new Set(variant.required ?? []);
    const names = Object.keys(variant.properties ?? {});
    const width = Math.max(0, ...names.map((n) => n.length));
    for (const name of names) {
      const field = variant.properties![name]!;
      const note = field.description ? `  ${field.description}` : '';
      out.push(`${indent}${variants.length > 1 ? '  ' : ''}${name.padEnd(width)}  ${typeOf(field)}${required.has(name) ? ' (required)' : ''}${note}`);
    }
  });
  return out;
}

/** "Gateway methods:" lines for a command's help: what each method it calls does. */
export async function methodsSection(names: readonly ContractMethodName[]): Promise<string> {
  const contract = await loadContract();
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${contract.methods[n].doc} (scope ${contract.methods[n].scope})`);
  return ['Gateway methods it calls:', ...lines].join('\n');
}

/** `usage` followed by the methods section. */
export function usageWithMethods(usage: string, names: readonly ContractMethodName[]): () => Promise<string> {
  return async () => `${usage.trimEnd()}\n\n${await methodsSection(names)}`;
}

/** Full help of one method for `gateway call <method> --help`; undefined when the contract lacks it. */
export async function methodHelp(name: string): Promise<string | undefined> {
  const contract = await loadContract();
  const entry = Object.entries(contract.methods).find(([n, m]) => n === name || m.aliases.includes(name));
  if (!entry) return undefined;
  const [canonical, spec] = entry;
  const { jsonSchemaOf } = await import('../../../contract/json-schema.js');
  const params = jsonSchemaOf(spec.params, 'input') as JsonSchema;
  const fields = fieldLines(params, '  ');
  return [
    `${canonical}${spec.aliases.length ? ` (also: ${spec.aliases.join(', ')})` : ''}`,
    `  ${spec.doc}`,
    '',
    `Scope: ${spec.scope}${spec.interim ? '   Answers twice: an interim answer, then the final one (--expect-final waits for it).' : ''}`,
    ...(spec.errors.length ? [`Errors (details.code): ${spec.errors.join(', ')}`] : []),
    '',
    fields.length ? 'Params (--params JSON):' : 'Params: none ({}).',
    ...fields,
  ].join('\n');
}

/** Every method of the contract with its one-line doc, for `gateway call --help`. */
export async function methodIndex(): Promise<string> {
  const contract = await loadContract();
  const names = Object.keys(contract.methods).sort();
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `  ${n.padEnd(width)}  ${contract.methods[n as ContractMethodName].doc}`).join('\n');
}
