// The servers the HTTP benches measure, each run as its own process so the load generator does not
// share their event loop. This file is bundled with esbuild as the CLI is (so the gateway runs the
// code users run, not tsx's transpiled modules) and started as `node <bundle> <mode>`, printing
// "listening on <url>". Modes: the fake upstream model, a gateway whose model is that upstream
// (with a trivial `bench_echo` tool and a `bench_turn` tool that times one agent run from inside),
// and a raw node:http server answering fixed JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HTTP_BENCH_TOKEN = 'bench-token-0123456789abcdef';
export const FAKE_REPLY = 'The quick brown fox jumps over the lazy dog.';

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** CPU time (user + system) a process has used so far, in ms; NaN where /proc is missing. */
export function cpuTimeMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

// USER_HZ: 100 on every Linux build Node supports.
const CLOCK_TICKS_PER_S = 100;

let bundle: Promise<string> | undefined;

/** This file bundled like dist/openclaw.mjs (once per process; removed at exit). */
function bundledScript(): Promise<string> {
  bundle ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openclaw-http-bench-bundle-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'http-bench-servers.mjs');
    const { build } = await import('esbuild');
    await build({
      entryPoints: [fileURLToPath(import.meta.url)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minifyWhitespace: true,
      minifySyntax: true,
      logLevel: 'warning',
      external: ['esbuild'],
      banner: { js: "import { createRequire as __ocCreateRequire } from 'node:module'; const require = __ocCreateRequire(import.meta.url);" },
    });
    return outfile;
  })();
  return bundle;
}

/** Starts `mode` in a child process and resolves with the URL it listens on. */
export async function startBenchServer(mode: 'fake-upstream' | 'gateway' | 'raw-json', arg = ''): Promise<BenchServer> {
  const env = { ...process.env };
  for (const key of ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_CONFIG_PATH', 'OPENCLAW_STATE_DIR', 'OPENCLAW_VALIDATE_CONTRACT']) delete env[key];
  const child: ChildProcess = spawn(process.execPath, [await bundledScript(), mode, arg], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${mode} did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${mode} exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serveFakeUpstream(): Promise<string> {
  const { startFakeOpenAi } = await import('../test/helpers/fake-openai-server.js');
  const upstream = await startFakeOpenAi();
  upstream.setDefault({ text: FAKE_REPLY, usage: { prompt_tokens: 20, completion_tokens: 9 } });
  process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));
  return upstream.baseUrl;
}

async function serveGateway(upstreamBaseUrl: string): Promise<string> {
  const { createGateway } = await import('../server/gateway.js');
  const { fakeProviderConfig } = await import('../test/helpers/fake-openai-server.js');
  const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-http-bench-'));
  process.on('exit', () => rmSync(stateDir, { recursive: true, force: true }));
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: HTTP_BENCH_TOKEN } }, ...fakeProviderConfig(upstreamBaseUrl) }));
  const gateway = await createGateway({ stateDir, port: 0, env: { ...process.env } });
  const runtime = gateway.services.agents;
  runtime.tools.register({
    name: 'bench_echo',
    description: 'Returns its input',
    parameters: z.strictObject({ text: z.string() }),
    run: ({ text }) => ({ text }),
  });
  // The same turn /v1/chat/completions starts (fresh session, caller-supplied context), timed
  // inside the gateway: what the agent runtime costs without any HTTP in front of it.
  runtime.tools.register({
    name: 'bench_turn',
    description: 'Runs one agent turn through the run API and reports its timings',
    parameters: z.strictObject({ message: z.string() }),
    run: async ({ message }) => {
      const started = performance.now();
      let firstTextMs = Number.NaN;
      const { run } = runtime.startRun({ caller: { kind: 'internal' }, agentId: 'main', sessionKey: `agent:main:openai:${randomUUID()}`, message, priorMessages: [] });
      run.subscribe((event) => {
        if (event.type === 'text' && Number.isNaN(firstTextMs)) firstTextMs = performance.now() - started;
      });
      const result = await run.done;
      return { status: result.status, totalMs: performance.now() - started, firstTextMs };
    },
  });
  process.on('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
  const info = await gateway.listen();
  return `http://127.0.0.1:${info.port}`;
}

function serveRawJson(body: string): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    });
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, arg = ''] = process.argv.slice(2);
  const url = mode === 'fake-upstream' ? await serveFakeUpstream() : mode === 'gateway' ? await serveGateway(arg) : await serveRawJson(arg);
  process.stdout.write(`listening on ${url}\n`);
}
