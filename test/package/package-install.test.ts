// The SDK as people install it: `npm pack` the project, install the tarball into a fresh project,
// import every entry of the exports map from plain Node ESM, type-check a consumer with tsc against
// the installed declarations, and run the packed `openclaw gateway`, which the installed SDK's
// getOpenClawClient() reaches from OPENCLAW_GATEWAY_URL / OPENCLAW_AUTH_TOKEN alone.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const TOKEN = 'pack-test-token-0123456789';

let work: string;
let project: string;

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'openclaw-pack-'));
  // npm test has just built dist/; --ignore-scripts keeps npm pack from building it a second time.
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[] }[];
  const tarball = join(work, packed[0]!.filename);
  project = join(work, 'consumer');
  run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball], project);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships the CLI bundle, the SDK build and the schemas, and no sources', () => {
    const listed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--dry-run', '--json'], ROOT)) as { files: { path: string }[] }[];
    const files = listed[0]!.files.map((f) => f.path);
    for (const expected of ['bin/openclaw.js', 'dist/openclaw.mjs', 'dist/lib/clients/index.js', 'dist/lib/clients/index.d.ts', 'dist/lib/clients/browser.js', 'dist/lib/server/proxy/index.js', 'dist/lib/contract/index.js', 'generated/schema/protocol.schema.json', 'dist/control-ui/index.html']) {
      expect(files).toContain(expected);
    }
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('every entry imports from plain Node ESM', () => {
    const script = `
      const root = await import('${PKG.name}');
      const client = await import('${PKG.name}/client');
      const browser = await import('${PKG.name}/browser');
      const proxy = await import('${PKG.name}/proxy');
      const node = await import('${PKG.name}/node');
      const contract = await import('${PKG.name}/contract');
      const { createRequire } = await import('node:module');
      const schema = createRequire(import.meta.url)('${PKG.name}/contract/schema.json');
      console.log(JSON.stringify({
        root: [typeof root.OpenClawClient, typeof root.getOpenClawClient, typeof root.GatewayError],
        client: typeof client.OpenClawClient,
        browser: typeof browser.BrowserGatewayClient,
        proxy: typeof proxy.GatewayProxy,
        node: typeof node.loadOrCreateDeviceIdentity,
        methods: Object.keys(contract.contract.methods).includes('chat.send'),
        schema: typeof schema === 'object' && schema !== null,
      }));`;
    const out = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], project));
    expect(out).toEqual({ root: ['function', 'function', 'function'], client: 'function', browser: 'function', proxy: 'function', node: 'function', methods: true, schema: true });
  });

  it('a consumer type-checks against the installed declarations (and a wrong call does not)', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { OpenClawClient, getOpenClawClient, GatewayError } from '${PKG.name}';
import { BrowserGatewayClient } from '${PKG.name}/browser';
import { GatewayProxy } from '${PKG.name}/proxy';
import type { MethodResult } from '${PKG.name}/contract';
const client = new OpenClawClient({ url: 'ws://127.0.0.1:1/ws', token: 't' });
export async function use(): Promise<number> {
  const health: MethodResult<'health'> = await client.health({});
  const history = await client.chat.history({ sessionKey: 'main' });
  void getOpenClawClient; void BrowserGatewayClient; void GatewayProxy;
  try { await client.config.get({}); } catch (error) { if (error instanceof GatewayError) return error.code.length; }
  return history.messages.length + (health.ok ? 1 : 0);
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2023', 'DOM'], types: [] }, files: ['consumer.ts'] }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    writeFileSync(join(project, 'wrong.ts'), `import { OpenClawClient } from '${PKG.name}';\nexport const p = new OpenClawClient({ url: 'x' }).chat.history({ sessionKey: 42 });\n`);
    writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['wrong.ts'] }));
    let diagnostics = '';
    try {
      run(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], project);
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout);
    }
    expect(diagnostics).toMatch(/wrong\.ts.*error TS2322.*number.*string/s);
  }, 120_000);

  it('the packed `openclaw gateway` runs, and getOpenClawClient() connects from the environment alone', async () => {
    const stateDir = join(work, 'state');
    const bin = join(project, 'node_modules/.bin/openclaw');
    const child = spawn(bin, ['gateway', '--port', '0', '--state-dir', stateDir, '--token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 30_000);
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          const match = /listening on (ws:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolveUrl(match[1]!);
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      const script = `
        const { getOpenClawClient } = await import('${PKG.name}');
        const client = getOpenClawClient();
        const health = await client.health({});
        console.log(JSON.stringify({ ok: health.ok, protocol: client.hello.protocol }));
        client.close();`;
      const out = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], project, { ...process.env, OPENCLAW_GATEWAY_URL: url, OPENCLAW_AUTH_TOKEN: TOKEN, OPENCLAW_GATEWAY_TOKEN: '' }));
      expect(out).toEqual({ ok: true, protocol: 4 });
      // The packed Control UI is found beside the bundle and served with its assets.
      const page = await fetch(url.replace(/^ws/, 'http').replace(/\/ws$/, '/'));
      expect(page.status).toBe(200);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      expect((await fetch(url.replace(/^ws/, 'http').replace(/\/ws$/, asset ?? '/assets/missing.js'))).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});

describe('the lock file', () => {
  it('agrees with package.json, so npm install on a fresh clone leaves tracked files alone', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
    const root = lock.packages['']!;
    for (const key of ['name', 'version', 'dependencies', 'devDependencies', 'engines', 'bin', 'license']) expect(root[key], key).toEqual(pkg[key]);
  });
});
