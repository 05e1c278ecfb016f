// `compat:check` flags changes that break existing clients and lets additive ones through.
// Baselines are the current protocol schema with hand edits, so the tests follow the contract.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareProtocolSchemas, currentProtocolSchema } from '../../codegen/compat-check.js';
import { diffSchemas } from '../../codegen/schema-diff.js';

const repo = resolve(import.meta.dirname, '../..');
type Json = Record<string, any>;

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

function runCompat(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'codegen/compat-check.ts', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('compat:check', () => {
  let current: Json;
  let dir: string;
  beforeAll(() => {
    current = currentProtocolSchema();
    dir = mkdtempSync(join(tmpdir(), 'openclaw-compat-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a baseline: the current schema after `edit`. */
  const baseline = (name: string, edit: (s: Json) => void): string => {
    const s = clone(current);
    edit(s);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(s, null, 2));
    return file;
  };

  it('the current contract is compatible with itself', () => {
    expect(compareProtocolSchemas(current, current)).toEqual([]);
  });

  it('CLI: a removed result field is breaking, printed with its JSON path, exit 1', () => {
    // The baseline had a field the contract no longer has: the contract removed it.
    const file = baseline('removed-field', (s) => {
      const result = s.methods['logs.tail'].result;
      result.properties.legacyOffset = { type: 'integer', minimum: 0 };
      result.required.push('legacyOffset');
    });
    const { status, output } = runCompat(['--base-file', file]);
    expect(output).toContain("BREAKING  $.methods['logs.tail'].result.properties.legacyOffset: field removed");
    expect(status).toBe(1);
  }, 60_000);

  it('CLI: an added optional params field is fine, exit 0', () => {
    // The baseline lacked an optional field the contract has: the contract added it.
    const file = baseline('added-optional', (s) => {
      delete s.methods['logs.tail'].params.properties.maxBytes;
    });
    const { status, output } = runCompat(['--base-file', file]);
    expect(output).toContain("fine      $.methods['logs.tail'].params.properties.maxBytes: optional field added");
    expect(output).not.toContain('BREAKING');
    expect(status).toBe(0);
  }, 60_000);

  it('CLI: a missing baseline is reported and passes', () => {
    const { status, output } = runCompat(['--base-file', join(dir, 'nope.json')]);
    expect(output).toContain('no baseline');
    expect(status).toBe(0);
  }, 60_000);

  const breaking = (before: Json) => compareProtocolSchemas(before, current).filter((c) => c.kind === 'breaking');

  it.each([
    ['method removed', (s: Json) => (s.methods['old.method'] = { scope: 'any', aliases: [], params: {}, result: {} }), '$.methods[\'old.method\']', 'method removed'],
    ['alias removed', (s: Json) => s.methods.health.aliases.push('health.get'), '$.methods.health.aliases', 'alias health.get removed'],
    ['event removed', (s: Json) => (s.events['old.event'] = { scope: 'any', droppable: false, payload: {} }), "$.events['old.event']", 'event removed'],
    ['error code removed', (s: Json) => (s.errors.OLD_CODE = { code: 'NOT_FOUND', details: {} }), '$.errors.OLD_CODE', 'error code removed from the catalog'],
    ['error under another top-level code', (s: Json) => (s.errors.SESSION_NOT_FOUND.code = 'INVALID_REQUEST'), '$.errors.SESSION_NOT_FOUND.code', 'now comes as NOT_FOUND instead of INVALID_REQUEST'],
    [
      'error details field removed',
      (s: Json) => (s.errors.SESSION_NOT_FOUND.details.properties.sessionId = { type: 'string' }),
      '$.errors.SESSION_NOT_FOUND.details.properties.sessionId',
      'field removed',
    ],
  ])('%s is breaking', (_label, edit, path, message) => {
    const before = clone(current);
    edit(before);
    expect(breaking(before)).toContainEqual({ kind: 'breaking', path, message });
  });

  it('params: optional → required, type narrowed, enum value removed, bounds tightened are breaking', () => {
    const params = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    const required = diffSchemas(params, { ...params, required: ['a'] }, '$.p', 'input');
    expect(required).toEqual([{ kind: 'breaking', path: '$.p.properties.a', message: 'field made required' }]);
    expect(diffSchemas({ type: ['string', 'number'] }, { type: 'string' }, '$', 'input')[0]!.kind).toBe('breaking');
    expect(diffSchemas({ type: 'string', enum: ['a', 'b'] }, { type: 'string', enum: ['a'] }, '$', 'input')).toEqual([
      { kind: 'breaking', path: '$', message: 'value(s) "b" removed' },
    ]);
    expect(diffSchemas({ const: 'x' }, { const: 'y' }, '$', 'input')[0]!.kind).toBe('breaking');
    expect(diffSchemas({ type: 'string', maxLength: 100 }, { type: 'string', maxLength: 10 }, '$', 'input')[0]!.kind).toBe('breaking');
    expect(diffSchemas({ type: 'integer', minimum: 1 }, { type: 'integer', minimum: 5 }, '$', 'input')[0]!.kind).toBe('breaking');
    expect(diffSchemas({ type: 'array', items: { type: 'string' } }, { type: 'array', items: { type: 'string' }, maxItems: 3 }, '$', 'input')[0]!.kind).toBe('breaking');
    const union = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    expect(diffSchemas(union, { anyOf: [{ type: 'string' }] }, '$', 'input').map((c) => c.kind)).toContain('breaking');
    expect(diffSchemas({}, { type: 'string' }, '$', 'input')[0]!.kind).toBe('breaking');
  });

  it('params: widening is additive (new optional field, enum value added, bound loosened, integer → number)', () => {
    const kinds = (b: Json, a: Json) => diffSchemas(b, a, '$', 'input').map((c) => c.kind);
    expect(kinds({ type: 'object', properties: {} }, { type: 'object', properties: { x: { type: 'string' } } })).toEqual(['additive']);
    expect(kinds({ type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] })).toEqual(['additive']);
    expect(kinds({ type: 'string', maxLength: 10 }, { type: 'string', maxLength: 100 })).toEqual(['additive']);
    expect(kinds({ type: 'integer' }, { type: 'number' })).toEqual(['additive']);
    expect(kinds({ type: 'object', properties: {} }, { type: 'object', properties: { x: {} }, required: ['x'] })).toEqual(['breaking']);
  });

  it('results: field removed or required → optional is breaking; a new field is additive', () => {
    const result = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a', 'b'] };
    const removed = diffSchemas(result, { ...result, properties: { a: { type: 'string' } }, required: ['a'] }, '$.r', 'output');
    expect(removed).toEqual([{ kind: 'breaking', path: '$.r.properties.b', message: 'field removed' }]);
    const optional = diffSchemas(result, { ...result, required: ['a'] }, '$.r', 'output');
    expect(optional).toEqual([{ kind: 'breaking', path: '$.r.properties.b', message: 'field made optional' }]);
    const added = diffSchemas(result, { ...result, properties: { ...result.properties, c: { type: 'string' } } }, '$.r', 'output');
    expect(added).toEqual([{ kind: 'additive', path: '$.r.properties.c', message: 'optional field added' }]);
    expect(diffSchemas({ type: 'string' }, { anyOf: [{ type: 'string' }, { type: 'null' }] }, '$', 'output')[0]!.kind).toBe('breaking');
  });

  it('scope made stricter is breaking; relaxed is fine', () => {
    const before = clone(current);
    const readMethod = Object.entries(before.methods).find(([, m]) => (m as Json).scope === 'operator.read')![0];
    before.methods[readMethod].scope = 'any';
    expect(breaking(before)).toContainEqual(
      expect.objectContaining({ path: expect.stringContaining(`${readMethod}`), message: expect.stringMatching(/^scope made stricter \(any → operator\.read\)/) }),
    );
    const looser = clone(current);
    looser.methods[readMethod].scope = 'operator.admin';
    expect(breaking(looser)).toEqual([]);
  });

  it('a renamed method that keeps its old name as an alias is not breaking', () => {
    const withAlias = Object.entries(current.methods).find(([, m]) => (m as Json).aliases.length > 0)!;
    const [name, spec] = withAlias as [string, Json];
    const before = clone(current);
    const oldName = spec.aliases[0] as string;
    delete before.methods[name];
    before.methods[oldName] = { ...clone(spec), aliases: [] };
    const changes = compareProtocolSchemas(before, current);
    expect(changes.filter((c) => c.kind === 'breaking')).toEqual([]);
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'additive', message: `renamed to ${name}; the old name is kept as an alias` }));
  });
});
