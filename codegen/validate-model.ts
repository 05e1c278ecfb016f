// Contract rules the type system cannot express; codegen refuses to emit a contract that breaks one.
import { z } from 'zod';
import { pathParamsOf, type ContractModel } from './contract-model.js';

export function validateModel(model: ContractModel): void {
  const problems: string[] = [];
  const names = new Set(model.methods.map((m) => m.name));
  const seen = new Map<string, string>();
  for (const m of model.methods) {
    if (!/^[a-z][A-Za-z0-9-]*(\.[a-z][A-Za-z0-9-]*)*$/.test(m.name)) problems.push(`method name ${m.name} is not dotted lowerCamel`);
    if (!m.spec.doc.trim()) problems.push(`method ${m.name} has no doc`);
    for (const alias of m.spec.aliases) {
      if (names.has(alias)) problems.push(`alias ${alias} of ${m.name} is also a method`);
      const owner = seen.get(alias);
      if (owner) problems.push(`alias ${alias} claimed by ${owner} and ${m.name}`);
      seen.set(alias, m.name);
    }
    for (const [label, schema, io] of [
      ['params', m.spec.params, 'input'],
      ['result', m.spec.result, 'output'],
    ] as const) {
      try {
        z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      } catch (error) {
        problems.push(`method ${m.name} ${label} cannot become JSON Schema: ${(error as Error).message}`);
      }
    }
  }
  for (const e of model.events) if (!e.spec.doc.trim()) problems.push(`event ${e.name} has no doc`);
  for (const e of model.http) {
    for (const path of e.spec.paths) {
      if (!path.startsWith('/')) problems.push(`endpoint ${e.name} path ${path} does not start with /`);
      if (pathParamsOf(path).join(',') !== e.params.join(',')) problems.push(`endpoint ${e.name} paths do not all have the params {${e.params.join('}, {')}}`);
      if (/[{}]/.test(path.replace(/\{[a-z][A-Za-z0-9]*\}/g, ''))) problems.push(`endpoint ${e.name} path ${path} has a malformed {param}`);
    }
  }
  const events = new Set(model.events.map((e) => e.name));
  for (const b of model.browserMethods) if (!names.has(b)) problems.push(`browser method ${b} is not in the contract`);
  for (const b of model.browserEvents) if (!events.has(b)) problems.push(`browser event ${b} is not in the contract`);
  if (problems.length) {
    throw new Error(`contract is invalid:\n  - ${problems.join('\n  - ')}`);
  }
}
