// The schema sweep: every hostile value (hostile-values.ts) in every position of every method's
// params after the handshake, and of connect's params before it, each position found by walking
// the contract's JSON Schema. Each frame gets the documented answer (never INTERNAL), the gateway
// stays up, and the connection stays usable. This is the sweep that finds a validator that throws.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { handshakeInProcess, peerOf } from '../protocol/in-process-peer.js';
import { startWith } from '../protocol/gateway-fixtures.js';
import { connectParams } from '../helpers/raw-socket.js';
import type { Json } from './frame-arbitraries.js';
import { asFuzzPeer, checkAfterHandshake, checkBeforeHandshake, thrownWhileHandling, type Coverage, type FuzzPeer } from './fuzz-runner.js';
import { HUGE_VALUES } from './hostile-values.js';
import { positionsOf, setAtPath } from './json-schema-walk.js';
import { CONNECT_SCHEMA, FUZZ_SCRATCH, frameOf, METHOD_TARGETS, sweep } from './schema-frames.js';

describe('schema sweep: hostile values in every position', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { auth: { failureDelayMs: 0, rateLimit: { exemptLoopback: true } }, limits: { handshakeTimeoutMs: 10_000 } } });
  });
  afterAll(async () => {
    await gw?.stop();
    rmSync(FUZZ_SCRATCH, { recursive: true, force: true });
  });

  it('after the handshake: every method, every position, every hostile value', async () => {
    const { peer, hello } = await handshakeInProcess(gw.gateway!.connectInProcess(), gw.token);
    const implemented = new Set<string>(hello.features.methods);
    const fuzzPeer = asFuzzPeer(peer);
    const coverage: Coverage = new Map();
    let frames = 0;
    try {
      for (const target of METHOD_TARGETS) {
        for (const { doc } of sweep(target)) {
          await checkAfterHandshake(fuzzPeer, frameOf(target.name, doc), implemented, coverage);
          frames++;
        }
        // The big ones once per method, at its first position below the root.
        const first = target.positions[1] ?? target.positions[0]!;
        for (const huge of HUGE_VALUES) await checkAfterHandshake(fuzzPeer, frameOf(target.name, setAtPath(target.base, first, huge.value)), implemented, coverage);
      }
      expect(frames).toBeGreaterThan(5_000);
      expect(coverage.get('INVALID_REQUEST INVALID_PARAMS') ?? 0).toBeGreaterThan(1_000);
      expect(coverage.get('handled') ?? 0).toBeGreaterThan(50);
      expect((await peer.call('health', {})).ok).toBe(true);
      expect(await thrownWhileHandling(gw)).toEqual([]);
    } finally {
      peer.client.close();
    }
  }, 300_000);

  it('before the handshake: every position of connect, every hostile value', async () => {
    const open = async (): Promise<FuzzPeer> => {
      const peer = peerOf(gw.gateway!.connectInProcess());
      await peer.waitFor((f) => f.event === 'connect.challenge');
      return asFuzzPeer(peer);
    };
    const base = connectParams({ auth: { token: gw.token } }) as Json;
    const positions = positionsOf(CONNECT_SCHEMA);
    const coverage: Coverage = new Map();
    const target = { name: 'connect', schema: CONNECT_SCHEMA, positions, base };
    for (const { doc } of sweep(target)) await checkBeforeHandshake(open, frameOf('connect', doc), gw.token, coverage);
    expect(positions.length).toBeGreaterThan(30);
    expect(coverage.get('close 1008 INVALID_PARAMS') ?? 0).toBeGreaterThan(200);
    expect(await thrownWhileHandling(gw)).toEqual([]);
    await expect.poll(() => gw.gateway!.runtime.connectionCount()).toBe(0);
  }, 300_000);
});
