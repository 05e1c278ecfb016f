// Guards a V8 11.3 (Node 20) pitfall on the paths every request, frame, run and delta takes: an
// object literal with anything after a spread (`{ ...a, b }`, `{ ...a, ...b }`,
// `{ a, ...(c ? { c } : {}), d }`) costs ~0.5 µs and gives each object its own hidden class, so
// such objects outlive scavenges and fill the old generation. One of them on /tools/invoke cost
// 30 % of its throughput. Build these objects field by field (`Mutable<T>`), spread last, or use
// Object.assign. Cold paths (CLI, config, agents CRUD) are not checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const HOT_DIRS = ['server/core', 'server/transport', 'server/http', 'server/tools', 'server/chat', 'server/providers', 'server/proxy', 'clients'];

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `file:line` of every object literal in which an element follows a spread element. */
export function literalsWithPropertiesAfterSpread(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const first = node.properties.findIndex((p) => ts.isSpreadAssignment(p));
      if (first >= 0 && first < node.properties.length - 1) {
        found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('hot-path object literals', () => {
  it('the checker finds what it is meant to find', () => {
    const sample = ['const a = { ...x, y: 1 };', 'const b = { ...x, ...y };', 'const c = { y: 1, ...x };', 'const d = { ...x };', 'const e = { y, ...(z ? { z } : {}), w };'].join('\n');
    expect(literalsWithPropertiesAfterSpread('sample.ts', sample)).toEqual(['sample.ts:1', 'sample.ts:2', 'sample.ts:5']);
  });

  it('no literal on a hot path has a property after a spread', () => {
    const offenders = HOT_DIRS.flatMap(tsFiles).flatMap((file) => literalsWithPropertiesAfterSpread(relative(ROOT, join(ROOT, file)), readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
