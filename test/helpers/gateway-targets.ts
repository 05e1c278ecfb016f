// Two ways to run a gateway for tests: in this process, or as a child process through the CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createGateway, type Gateway } from '../../server/gateway.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** Test-friendly limits, written to the config file so the CLI target gets them too. */
export const TEST_CONFIG = {
  gateway: {
    auth: { token: TEST_TOKEN, failureDelayMs: 20, rateLimit: { maxAttempts: 5, windowMs: 60_000, lockoutMs: 60_000 } },
    limits: { handshakeTimeoutMs: 600, maxPreauthPerIp: 32 },
  },
};

export interface RunningGateway {
  readonly kind: 'in-process' | 'cli';
  readonly url: string;
  readonly httpUrl: string;
  readonly token: string;
  readonly stateDir: string;
  readonly gateway?: Gateway;
  readonly child?: ChildProcess;
  stop(): Promise<void>;
}

export function makeStateDir(config: unknown = TEST_CONFIG): string {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-test-'));
  if (config !== null) writeFileSync(join(dir, 'openclaw.json'), JSON.stringify(config, null, 2));
  return dir;
}

export async function startInProcess(config: unknown = TEST_CONFIG, stateDir = makeStateDir(config)): Promise<RunningGateway> {
  const gateway = await createGateway({
    stateDir,
    port: 0,
    env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: '', OPENCLAW_CONFIG_PATH: '' , OPENCLAW_STATE_DIR: ''},
    validateContract: true,
  });
  const info = await gateway.listen();
  return {
    kind: 'in-process',
    url: info.url,
    httpUrl: `http://127.0.0.1:${info.port}`,
    token: gateway.token ?? '',
    stateDir,
    gateway,
    async stop() {
      await gateway.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

const BIN = resolve(import.meta.dirname, '../../bin/openclaw.js');

export async function startCli(config: unknown = TEST_CONFIG, stateDir = makeStateDir(config), extraArgs: string[] = []): Promise<RunningGateway> {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_VALIDATE_CONTRACT: '1' };
  delete env.OPENCLAW_GATEWAY_TOKEN;
  delete env.OPENCLAW_CONFIG_PATH;
  delete env.OPENCLAW_STATE_DIR;
  const child = spawn(process.execPath, [BIN, 'gateway', '--port', '0', '--state-dir', stateDir, ...extraArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output}`));
    });
  });
  const port = new URL(url).port;
  return {
    kind: 'cli',
    url,
    httpUrl: `http://127.0.0.1:${port}`,
    token: TEST_TOKEN,
    stateDir,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export const TARGETS = [
  { name: 'in-process', start: startInProcess },
  { name: 'cli child process', start: startCli },
] as const;
