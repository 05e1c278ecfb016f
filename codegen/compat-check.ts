// `npm run compat:check [-- --base <ref> | --base-file <path>]`: compares the contract as it is now
// with the protocol.schema.json committed on the base (default `main`) and fails on changes that
// break existing clients. Additive changes are listed as fine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildContractModel } from './contract-model.js';
import { buildProtocolSchema } from './emit-json-schema.js';
import type { OperatorScope } from '../contract/define.js';
import { scopeSatisfies } from '../server/core/scopes.js';
import { childPath, SchemaDiff, type Direction, type SchemaChange } from './schema-diff.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_PATH = 'generated/schema/protocol.schema.json';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Which way each shared definition flows; unknown ones are checked as inputs (the stricter reading). */
const DEF_DIRECTIONS: Record<string, Direction> = {
  RequestFrame: 'input',
  CancelFrame: 'input',
  ConnectParams: 'input',
  OpenClawConfig: 'input',
  ResponseFrame: 'output',
  EventFrame: 'output',
  HelloOk: 'output',
};

/** Who can pass a scope check: the node role, or an operator holding exactly one scope. */
const PRINCIPALS = ['node', 'operator.read', 'operator.write', 'operator.admin', 'operator.approvals', 'operator.pairing'];

function principalPasses(principal: string, access: string): boolean {
  if (access === 'any') return true;
  if (access === 'node') return principal === 'node';
  if (access === 'targeted') return principal !== 'node';
  if (principal === 'node') return false;
  return scopeSatisfies(principal as OperatorScope, access as OperatorScope);
}

/** Principals the old scope let through and the new one does not. */
function lockedOut(before: string, after: string): string[] {
  return PRINCIPALS.filter((p) => principalPasses(p, before) && !principalPasses(p, after));
}

/** Wire name → canonical method name, for methods and their aliases. */
function wireNames(methods: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, spec] of Object.entries(methods)) {
    out.set(name, name);
    for (const alias of list(obj(spec).aliases)) if (typeof alias === 'string') out.set(alias, name);
  }
  return out;
}

export function compareProtocolSchemas(before: Json, after: Json): SchemaChange[] {
  const diff = new SchemaDiff();
  const changes = diff.changes;
  const add = (kind: SchemaChange['kind'], path: string, message: string): void => void changes.push({ kind, path, message });

  const versionsBefore = list(before['x-protocol-versions']);
  const versionsAfter = list(after['x-protocol-versions']);
  for (const v of versionsBefore) if (!versionsAfter.includes(v)) add('breaking', "$['x-protocol-versions']", `protocol version ${String(v)} dropped`);
  for (const v of versionsAfter) if (!versionsBefore.includes(v)) add('additive', "$['x-protocol-versions']", `protocol version ${String(v)} added`);

  const defsBefore = obj(before.$defs);
  const defsAfter = obj(after.$defs);
  for (const [name, schema] of Object.entries(defsBefore)) {
    const path = childPath('$.$defs', name);
    if (!(name in defsAfter)) add('breaking', path, 'definition removed');
    else diff.compare(schema, defsAfter[name], path, DEF_DIRECTIONS[name] ?? 'input');
  }
  for (const name of Object.keys(defsAfter)) if (!(name in defsBefore)) add('additive', childPath('$.$defs', name), 'definition added');

  const methodsBefore = obj(before.methods);
  const methodsAfter = obj(after.methods);
  const namesBefore = wireNames(methodsBefore);
  const namesAfter = wireNames(methodsAfter);
  for (const [name, rawSpec] of Object.entries(methodsBefore)) {
    const spec = obj(rawSpec);
    const path = childPath('$.methods', name);
    const target = namesAfter.get(name);
    if (target === undefined) {
      add('breaking', path, 'method removed');
      continue;
    }
    if (target !== name) add('additive', path, `renamed to ${target}; the old name is kept as an alias`);
    const next = obj(methodsAfter[target]);
    for (const alias of list(spec.aliases)) {
      if (typeof alias !== 'string') continue;
      const now = namesAfter.get(alias);
      if (now === undefined) add('breaking', childPath(path, 'aliases'), `alias ${alias} removed`);
      else if (now !== target) add('breaking', childPath(path, 'aliases'), `alias ${alias} now names ${now}`);
    }
    const scopeBefore = String(spec.scope);
    const scopeAfter = String(next.scope);
    const excluded = lockedOut(scopeBefore, scopeAfter);
    if (excluded.length) add('breaking', childPath(path, 'scope'), `scope made stricter (${scopeBefore} → ${scopeAfter}); ${excluded.join(', ')} can no longer call it`);
    else if (scopeBefore !== scopeAfter) add('additive', childPath(path, 'scope'), `scope relaxed (${scopeBefore} → ${scopeAfter})`);
    diff.compare(spec.params ?? {}, next.params ?? {}, childPath(path, 'params'), 'input');
    diff.compare(spec.result ?? {}, next.result ?? {}, childPath(path, 'result'), 'output');
    if ('interim' in spec !== 'interim' in next) {
      add('breaking', childPath(path, 'interim'), 'interim' in next ? 'now answers twice (interim response added)' : 'interim response removed');
    } else if ('interim' in spec) {
      diff.compare(spec.interim, next.interim, childPath(path, 'interim'), 'output');
    }
    const errorsBefore = new Set(list(spec.errors));
    const newErrors = list(next.errors).filter((e) => !errorsBefore.has(e));
    if (newErrors.length) add('additive', childPath(path, 'errors'), `may now answer ${newErrors.join(', ')}`);
  }
  for (const [wire, canonical] of namesAfter) {
    if (namesBefore.has(wire)) continue;
    add('additive', childPath('$.methods', canonical), wire === canonical ? 'method added' : `alias ${wire} added`);
  }

  const eventsBefore = obj(before.events);
  const eventsAfter = obj(after.events);
  for (const [name, rawSpec] of Object.entries(eventsBefore)) {
    const spec = obj(rawSpec);
    const path = childPath('$.events', name);
    if (!(name in eventsAfter)) {
      add('breaking', path, 'event removed');
      continue;
    }
    const next = obj(eventsAfter[name]);
    const excluded = lockedOut(String(spec.scope), String(next.scope));
    if (excluded.length) add('breaking', childPath(path, 'scope'), `scope made stricter (${String(spec.scope)} → ${String(next.scope)}); ${excluded.join(', ')} stop receiving it`);
    if (spec.droppable === false && next.droppable === true) add('breaking', childPath(path, 'droppable'), 'may now be dropped for slow consumers');
    diff.compare(spec.payload ?? {}, next.payload ?? {}, childPath(path, 'payload'), 'output');
  }
  for (const name of Object.keys(eventsAfter)) if (!(name in eventsBefore)) add('additive', childPath('$.events', name), 'event added');

  const errorsBefore = obj(before.errors);
  const errorsAfter = obj(after.errors);
  for (const [code, rawSpec] of Object.entries(errorsBefore)) {
    const spec = obj(rawSpec);
    const path = childPath('$.errors', code);
    if (!(code in errorsAfter)) {
      add('breaking', path, 'error code removed from the catalog');
      continue;
    }
    const next = obj(errorsAfter[code]);
    if (spec.code !== next.code) add('breaking', childPath(path, 'code'), `now comes as ${String(next.code)} instead of ${String(spec.code)}`);
    diff.compare(spec.details ?? {}, next.details ?? {}, childPath(path, 'details'), 'output');
  }
  for (const code of Object.keys(errorsAfter)) if (!(code in errorsBefore)) add('additive', childPath('$.errors', code), 'error code added');
  return changes;
}

export type Baseline = { readonly schema: Json; readonly source: string } | { readonly missing: string };

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function refExists(ref: string): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

export function loadBaseline(options: { base?: string; baseFile?: string }): Baseline {
  if (options.baseFile) {
    let text: string;
    try {
      text = readFileSync(options.baseFile, 'utf8');
    } catch {
      return { missing: `${options.baseFile} does not exist` };
    }
    return { schema: JSON.parse(text) as Json, source: options.baseFile };
  }
  const candidates = options.base ? [options.base] : ['main', 'origin/main'];
  const ref = candidates.find(refExists);
  if (!ref) {
    if (options.base) throw new Error(`git ref "${options.base}" not found; pass an existing branch, tag or commit`);
    return { missing: 'neither main nor origin/main exists in this clone' };
  }
  let text: string;
  try {
    text = git(['show', `${ref}:${SCHEMA_PATH}`]);
  } catch {
    return { missing: `${SCHEMA_PATH} does not exist on ${ref}` };
  }
  return { schema: JSON.parse(text) as Json, source: `${ref}:${SCHEMA_PATH}` };
}

export function currentProtocolSchema(): Json {
  return buildProtocolSchema(buildContractModel(join(root, 'contract')));
}

function main(): number {
  const { values } = parseArgs({ options: { base: { type: 'string' }, 'base-file': { type: 'string' } }, strict: true });
  let baseline: Baseline;
  try {
    baseline = loadBaseline({ ...(values.base ? { base: values.base } : {}), ...(values['base-file'] ? { baseFile: values['base-file'] } : {}) });
  } catch (error) {
    console.error(`compat:check: ${(error as Error).message}`);
    return 2;
  }
  if ('missing' in baseline) {
    console.log(`compat:check: no baseline (${baseline.missing}); nothing to compare`);
    return 0;
  }
  const changes = compareProtocolSchemas(baseline.schema, currentProtocolSchema());
  const breaking = changes.filter((c) => c.kind === 'breaking');
  const additive = changes.filter((c) => c.kind === 'additive');
  console.log(`compat:check: contract vs ${baseline.source}`);
  for (const c of breaking) console.log(`  BREAKING  ${c.path}: ${c.message}`);
  for (const c of additive) console.log(`  fine      ${c.path}: ${c.message}`);
  if (breaking.length) {
    console.log(`${breaking.length} breaking change(s), ${additive.length} additive. Existing clients would break;`);
    console.log('make the change additive (new optional fields, new methods/events) or add an alias for a renamed method.');
    return 1;
  }
  console.log(additive.length ? `no breaking changes (${additive.length} additive)` : 'no changes');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
