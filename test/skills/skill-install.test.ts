// skills.install for real: a `download` from a loopback HTTP server (good archive, bad hash,
// path-escaping archive, link pointing out) and a `node` install of one tiny package from the npm
// registry with install scripts off; the installed program makes the skill eligible.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessCaller } from '../../server/core/in-process-caller.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { makeTarGz, writeSkill } from './skill-fixtures.js';

let gw: RunningGateway;
let admin: InProcessCaller;
let server: Server;
let base: string;
let work: string;
const served = new Map<string, Buffer>();
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

type Result = { ok: boolean; reason?: string; message: string; code: number | null; stdout: string; stderr: string };
const install = (name: string, installId: string, extra: Record<string, unknown> = {}) => admin.call('skills.install', { name, installId, ...extra }) as Promise<Result>;
const status = async (name: string) => ((await admin.call('skills.status', {})) as { skills: { name: string; eligible: boolean; missing: { bins: string[] } }[] }).skills.find((s) => s.name === name)!;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'openclaw-skill-archives-'));
  const good = makeTarGz(work, 'good', { 'pkg/bin/oc-fixture-tool': '#!/bin/sh\necho fixture-tool-ran\n', 'pkg/README.md': 'hello\n' });
  writeFileSync(join(work, 'outside.txt'), 'escaped\n');
  const escape = makeTarGz(work, 'escape', { 'inner/ok.txt': 'ok\n' }, ['-P', '--transform', 's,^,,', 'inner/ok.txt', '../outside.txt']);
  served.set('/good.tar.gz', readFileSync(good));
  served.set('/escape.tar.gz', readFileSync(escape));
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end('missing');
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  gw = await startInProcess(TEST_CONFIG);
  admin = gw.gateway!.createCaller({ id: 'test:admin', scopes: ['operator.admin'] });
  const skills = join(gw.stateDir, 'skills');
  const goodSha = sha(served.get('/good.tar.gz')!);
  writeSkill(skills, 'fixture-tool', {
    name: 'fixture-tool',
    description: 'needs oc-fixture-tool',
    metadata: {
      openclaw: {
        requires: { bins: ['oc-fixture-tool'] },
        install: [
          { id: 'good', kind: 'download', url: `${base}/good.tar.gz`, sha256: goodSha, stripComponents: 1, targetDir: '.', bins: ['oc-fixture-tool'] },
          { id: 'bad-hash', kind: 'download', url: `${base}/good.tar.gz`, sha256: '0'.repeat(64) },
          { id: 'no-hash', kind: 'download', url: `${base}/good.tar.gz` },
          { id: 'escape', kind: 'download', url: `${base}/escape.tar.gz`, sha256: sha(served.get('/escape.tar.gz')!) },
          { id: 'target-escape', kind: 'download', url: `${base}/good.tar.gz`, sha256: goodSha, targetDir: '../elsewhere' },
          { id: 'missing', kind: 'download', url: `${base}/nothing-here.tar.gz`, sha256: goodSha },
        ],
      },
    },
  });
  writeSkill(skills, 'he-skill', {
    name: 'he-skill',
    description: 'needs the he CLI',
    metadata: { openclaw: { requires: { bins: ['he'] }, install: [{ id: 'npm', kind: 'node', package: 'he@1.2.0', bins: ['he'] }] } },
  });
});
afterAll(async () => {
  await gw?.stop();
  await new Promise((r) => server?.close(r));
  rmSync(work, { recursive: true, force: true });
});

describe('skills.install: download', () => {
  const tools = () => join(gw.stateDir, 'tools', 'fixture-tool');

  it('refuses a download whose sha256 differs from the pinned one, and one with no pin, installing nothing', async () => {
    const bad = await install('fixture-tool', 'bad-hash');
    expect(bad).toMatchObject({ ok: false, reason: 'HASH_MISMATCH', code: null });
    expect(bad.message).toContain(sha(served.get('/good.tar.gz')!));
    expect(await install('fixture-tool', 'no-hash')).toMatchObject({ ok: false, reason: 'UNSUPPORTED' });
    expect(await install('fixture-tool', 'missing')).toMatchObject({ ok: false, reason: 'DOWNLOAD_FAILED' });
    expect(existsSync(join(tools(), 'bin', 'oc-fixture-tool'))).toBe(false);
  });

  it('refuses an archive with an entry escaping the folder, and a targetDir outside it', async () => {
    const escape = await install('fixture-tool', 'escape');
    expect(escape).toMatchObject({ ok: false, reason: 'UNSAFE_ARCHIVE' });
    expect(escape.message).toContain('outside.txt');
    expect(existsSync(join(gw.stateDir, 'tools', 'outside.txt'))).toBe(false);
    expect(existsSync(join(tools(), 'inner', 'ok.txt'))).toBe(false);
    expect(await install('fixture-tool', 'target-escape')).toMatchObject({ ok: false, reason: 'UNSAFE_ARCHIVE' });
    expect(existsSync(join(gw.stateDir, 'tools', 'elsewhere'))).toBe(false);
  });

  it('unpacks a good archive into the skill install folder, after which the skill is eligible', async () => {
    expect(await status('fixture-tool')).toMatchObject({ eligible: false, missing: { bins: ['oc-fixture-tool'] } });
    const good = await install('fixture-tool', 'good');
    expect(good).toMatchObject({ ok: true, code: 0 });
    expect(readFileSync(join(tools(), 'bin', 'oc-fixture-tool'), 'utf8')).toContain('fixture-tool-ran');
    expect(await status('fixture-tool')).toMatchObject({ eligible: true, missing: { bins: [] } });
  });
});

describe('skills.install: node', () => {
  it('installs one tiny package from the npm registry with install scripts off', { timeout: 180_000 }, async () => {
    expect(await status('he-skill')).toMatchObject({ eligible: false });
    const result = await install('he-skill', 'npm', { timeoutMs: 170_000 });
    expect(result, result.stderr).toMatchObject({ ok: true, code: 0 });
    const tools = join(gw.stateDir, 'tools', 'he-skill');
    expect(JSON.parse(readFileSync(join(tools, 'node_modules', 'he', 'package.json'), 'utf8')).version).toBe('1.2.0');
    expect(existsSync(join(tools, 'node_modules', '.bin', 'he'))).toBe(true);
    expect(await status('he-skill')).toMatchObject({ eligible: true });
  });
});
