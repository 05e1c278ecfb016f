// `logs.tail` over the gateway's own log file: the tail, forward reads from a cursor, and reset
// when the cursor is past the end (the file was rotated or truncated).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';

describe('logs.tail', () => {
  let gw: RunningGateway;
  let socket: RawSocket;
  beforeAll(async () => {
    gw = await startInProcess();
    // Each connect writes a "client connected" line.
    for (let i = 0; i < 3; i++) (await openReady(gw.url, gw.token)).socket.close();
    socket = (await openReady(gw.url, gw.token, { scopes: ['operator.read'] })).socket;
  });
  afterAll(async () => {
    socket?.close();
    await gw?.stop();
  });

  const tail = async (params: Record<string, unknown>) => {
    const res = await call(socket, 'logs.tail', params);
    expect(res.ok, JSON.stringify(res.error)).toBe(true);
    return res.payload as { file: string; cursor: number; size: number; lines: string[]; truncated?: boolean; reset?: boolean };
  };

  it('without a cursor returns the last lines of the JSON log and a cursor at the end', async () => {
    const out = await tail({});
    expect(out.file).toBe(gw.gateway!.paths.logFile);
    expect(out.cursor).toBe(out.size);
    expect(out.size).toBe(statSync(out.file).size);
    const entries = out.lines.map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(entries.filter((e) => e.msg === 'client connected').length).toBeGreaterThanOrEqual(4);
    expect(out.reset).toBeUndefined();
  });

  it('limit keeps the newest lines and marks the result truncated', async () => {
    const all = await tail({});
    const last = await tail({ limit: 1 });
    expect(last.lines).toEqual(all.lines.slice(-1));
    expect(last.truncated).toBe(true);
  });

  it('from a cursor returns only what was written since, whole lines only', async () => {
    const { cursor } = await tail({});
    expect((await tail({ cursor })).lines).toEqual([]);
    (await openReady(gw.url, gw.token, { client: { id: 'test', version: '9.9.9', platform: 'linux', mode: 'test' } })).socket.close();
    const next = await tail({ cursor });
    expect(next.lines.length).toBeGreaterThanOrEqual(1);
    expect(next.lines.some((l) => l.includes('client connected'))).toBe(true);
    expect(next.cursor).toBe(next.size);
    // A small maxBytes and limit still advance on line boundaries: paging reads everything exactly once.
    const paged: string[] = [];
    let at = 0;
    for (let i = 0; i < 1000 && at < next.size; i++) {
      const page = await tail({ cursor: at, maxBytes: 2000, limit: 2 });
      paged.push(...page.lines);
      expect(page.cursor).toBeGreaterThan(at);
      at = page.cursor;
    }
    expect(at).toBe(next.size);
    const written = readFileSync(next.file).subarray(0, next.size).toString('utf8').split('\n').slice(0, -1);
    expect(paged).toEqual(written);
  });

  it('a cursor past the end resets to the tail', async () => {
    const out = await tail({ cursor: 10_000_000 });
    expect(out.reset).toBe(true);
    expect(out.cursor).toBe(out.size);
    expect(out.lines.length).toBeGreaterThan(0);
  });
});
