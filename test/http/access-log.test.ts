// The HTTP access log: with debug logging, one line per request (method, path without the query,
// status, time, peer) once it is answered, and never a header or body (the token lives there).
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStateDir, startInProcess, TEST_CONFIG } from '../helpers/gateway-targets.js';
import { bearer, postJson } from './http-gateway.js';

interface LogLine {
  msg: string;
  method?: string;
  path?: string;
  status?: number | string;
  ms?: number;
  remote?: string;
}

describe('HTTP access log', () => {
  it('debug logging: a line per request without secrets; info logging: none', async () => {
    for (const level of ['debug', 'info'] as const) {
      const config = { ...TEST_CONFIG, logging: { level } };
      const stateDir = makeStateDir(config);
      const gw = await startInProcess(config, stateDir);
      try {
        await fetch(`${gw.httpUrl}/health?probe=1`);
        await postJson(`${gw.httpUrl}/tools/invoke`, { tool: 'nope', args: { secret: 'do-not-log-me' } }, bearer(gw.token));
        await fetch(`${gw.httpUrl}/v1/models`, { headers: bearer('wrong-token-value') });
        // An absolute-form request line with credentials in it: only the path is logged.
        const { port } = new URL(gw.httpUrl);
        const socket = connect({ host: '127.0.0.1', port: Number(port) });
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
        socket.write(`GET http://user:url-secret@127.0.0.1:${port}/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        await answered;
        socket.destroy();
      } finally {
        await gw.gateway!.stop();
      }
      const text = readFileSync(join(stateDir, 'logs', 'gateway.log'), 'utf8');
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as LogLine).filter((l) => l.msg === 'http request');
      if (level === 'info') {
        expect(lines).toEqual([]);
      } else {
        expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
          ['GET', '/health', 200],
          ['POST', '/tools/invoke', 404],
          ['GET', '/v1/models', 401],
          ['GET', '/healthz', 200],
        ]);
        for (const l of lines) {
          expect(typeof l.ms).toBe('number');
          expect(l.remote).toBe('127.0.0.1');
        }
      }
      for (const secret of [gw.token, 'wrong-token-value', 'do-not-log-me', 'url-secret']) expect(text).not.toContain(secret);
      await gw.stop();
    }
  });
});
