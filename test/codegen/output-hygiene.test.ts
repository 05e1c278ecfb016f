// Codegen hygiene: one string-literal writer that escapes everything, doc comments that a `*/` in
// a doc string cannot end early, the contract hash in one generated file only, and unions written
// one member a line (so two contract changes conflict only where they touch).
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint } from '../../contract/define.js';
import { pathParamsOf, type ContractModel } from '../../codegen/contract-model.js';
import { emitHttp } from '../../codegen/emit-http.js';
import { generate } from '../../codegen/main.js';
import { docText, lit } from '../../codegen/output.js';

const syntaxErrors = (text: string): string[] =>
  (ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } }).diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );

describe('codegen output', () => {
  it('lit() writes a literal that reads back as the same string', () => {
    for (const value of ["it's", 'back\\slash', 'a\\\'b', 'line\nbreak\r', 'sep\u2028\u2029', '']) {
      expect(new Function(`return ${lit(value)};`)()).toBe(value);
    }
  });

  it('a doc string with */ or a backslash still gives valid TypeScript', () => {
    expect(docText('ends */ here')).not.toContain('*/');
    const doc = "Matches /v1/* */ and C:\\path's end.";
    const model: ContractModel = {
      hash: 'test',
      methods: [],
      events: [],
      http: [{ name: 'odd', spec: endpoint({ verb: 'GET', paths: ['/odd'], body: null, response: z.object({}), auth: 'none', doc }), params: pathParamsOf('/odd') }],
      groups: [],
      coreMethods: [],
      browserMethods: [],
      browserEvents: [],
    };
    const text = emitHttp(model)[0]!.text;
    expect(syntaxErrors(text)).toEqual([]);
    expect(text).toContain('Matches /v1/* *\\/ and');
  });

  const files = generate();

  it('names the contract hash in generated/contract-hash.ts only', () => {
    const hashFile = files.find((f) => f.path === 'generated/contract-hash.ts')!;
    const hash = /sha256:([0-9a-f]{64})/.exec(hashFile.text)![1]!;
    expect(files.filter((f) => f.text.includes(hash)).map((f) => f.path)).toEqual(['generated/contract-hash.ts']);
  });

  it('writes unions one member a line', () => {
    const types = files.find((f) => f.path === 'generated/server/method-types.ts')!.text;
    expect(types).toMatch(/export type MethodName =\n {2}\| 'agent'\n {2}\| 'agent\.wait'\n/);
    for (const f of files.filter((g) => g.path.endsWith('.ts'))) {
      expect(f.text, f.path).not.toMatch(/'[a-z.]+' \| '[a-z.]+'/);
    }
  });
});
