// Graceful shutdown (docs/protocol.md "Events"): every client gets `shutdown {reason, restartExpectedMs}`
// then close 1012; the CLI exits 0 on SIGTERM with its log flushed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from '../helpers/gateway-targets.js';
import { openRaw, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { removeDir, spawnCli } from './gateway-fixtures.js';

async function expectShutdown(socket: RawSocket, reason: string, restartExpectedMs: number | null): Promise<void> {
  const event = await socket.waitFor((f) => f.event === 'shutdown', 10_000);
  expect(event.payload).toEqual({ reason, restartExpectedMs });
  expect(event.seq).toBeGreaterThanOrEqual(1);
  expect(await socket.closed).toEqual({ code: 1012, reason: 'service restart' });
  // Nothing follows the shutdown event but the close.
  expect(socket.frames.filter((f) => f.type === 'event' && f.seq! > event.seq!)).toEqual([]);
}

describe('graceful shutdown', () => {
  it('in-process stop(): shutdown event then close 1012 for every client; the port stops listening', async () => {
    const gw = await startInProcess();
    try {
      const admin = await openReady(gw.url, gw.token);
      const node = await openReady(gw.url, gw.token, { role: 'node', scopes: [] });
      const inProcess = gw.gateway!.connectInProcess();
      const pending = await openRaw(gw.url); // has not finished the handshake
      await pending.next();
      const done = gw.gateway!.stop({ reason: 'maintenance', restartExpectedMs: 5000 });
      await Promise.all([expectShutdown(admin.socket, 'maintenance', 5000), expectShutdown(node.socket, 'maintenance', 5000)]);
      expect((await inProcess.closed).code).toBe(1012);
      expect((await pending.closed).code).toBe(1012);
      await done;
      await expect(fetch(`${gw.httpUrl}/healthz`)).rejects.toThrow();
      const log = readFileSync(gw.gateway!.paths.logFile, 'utf8');
      expect(log).toContain('"msg":"gateway stopping"');
    } finally {
      await gw.stop();
    }
  });

  it('CLI: SIGTERM sends shutdown then 1012 to every client, flushes the log and exits 0', async () => {
    const cli = spawnCli();
    try {
      const url = await cli.ready;
      const a = await openReady(url, 'test-token-0123456789abcdef');
      const b = await openReady(url, 'test-token-0123456789abcdef', { scopes: ['operator.read'] });
      cli.child.kill('SIGTERM');
      const reason = 'gateway stopping (SIGTERM)';
      await Promise.all([expectShutdown(a.socket, reason, null), expectShutdown(b.socket, reason, null)]);
      expect(await cli.exited).toBe(0);
      expect(cli.stdout()).toContain('SIGTERM received, shutting down');
      const lines = readFileSync(join(cli.stateDir, 'logs', 'gateway.log'), 'utf8').trim().split('\n');
      const last = lines.map((l) => JSON.parse(l) as { msg: string; reason?: string }).find((e) => e.msg === 'gateway stopping');
      expect(last?.reason).toBe(reason);
    } finally {
      await cli.stop();
      removeDir(cli.stateDir);
    }
  });
});
