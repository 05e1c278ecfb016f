// A contract change without regeneration must fail `codegen:check`. Runs on a temporary copy of
// contract/, codegen/ and generated/ so the real contract is never touched.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

function runCodegen(cwd: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'codegen/main.ts', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('codegen:check on a copy of the repo', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openclaw-codegen-'));
    for (const entry of ['contract', 'codegen', 'generated', 'docs']) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json']) cpSync(join(repo, file), join(dir, file));
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // The copy starts from a fresh generation so a half-finished edit in the real checkout cannot leak in.
    expect(runCodegen(dir, []).status).toBe(0);
  }, 90_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes when generated/ matches the contract, and fails after a contract change', () => {
    const fresh = runCodegen(dir, ['--check']);
    expect(fresh.output).toContain('up to date');
    expect(fresh.status).toBe(0);

    const contractFile = join(dir, 'contract/gateway.contract.ts');
    const before = readFileSync(contractFile, 'utf8');
    const doc = "Reads the gateway's own log file from a byte cursor (or its tail).";
    expect(before).toContain(doc);
    writeFileSync(contractFile, before.replace(doc, 'Reads the log file (changed by a test).'));

    const stale = runCodegen(dir, ['--check']);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain('out of date');
    expect(stale.output).toContain('stale file: generated/schema/protocol.schema.json');
    expect(stale.output).toContain('npm run codegen');
  }, 90_000);
});
