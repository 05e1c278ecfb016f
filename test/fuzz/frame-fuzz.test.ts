// Property-based fuzz through the in-process transport (real codec and state machine, no sockets):
// random and mutated frames before and after the handshake. The gateway never crashes, answers
// each frame as documented, stays usable, and its memory stays bounded.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { handshakeInProcess, peerOf } from '../protocol/in-process-peer.js';
import { startWith } from '../protocol/gateway-fixtures.js';
import { fuzzInputArb } from './frame-arbitraries.js';
import { asFuzzPeer, checkAfterHandshake, checkBeforeHandshake, collectGarbage, thrownWhileHandling, type Coverage, type FuzzPeer } from './fuzz-runner.js';
import { runs, timeoutFor } from './fuzz-scale.js';

// npm test: 10,000 frames; npm run fuzz: 100,000 (with the schema-driven mutations of every method).
const RUNS_BEFORE = runs(4_000, 20_000);
const RUNS_AFTER = runs(6_000, 80_000);

describe('frame fuzz (in-process transport)', () => {
  let gw: RunningGateway;
  let heapBefore = 0;
  beforeAll(async () => {
    // No failure delay and no lockout, so thousands of failed handshakes run quickly.
    gw = await startWith({ gateway: { auth: { failureDelayMs: 0, rateLimit: { exemptLoopback: true } }, limits: { handshakeTimeoutMs: 10_000 } } });
    collectGarbage();
    heapBefore = process.memoryUsage().heapUsed;
  });
  afterAll(() => gw?.stop());

  const open = async (): Promise<FuzzPeer> => {
    const peer = peerOf(gw.gateway!.connectInProcess());
    await peer.waitFor((f) => f.event === 'connect.challenge');
    return asFuzzPeer(peer);
  };

  const coverage: Coverage = new Map();

  it(`${RUNS_BEFORE} frames before the handshake: each gets the documented reply and close code`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzInputArb(gw.token), (input) => checkBeforeHandshake(open, input, gw.token, coverage)),
      { numRuns: RUNS_BEFORE },
    );
    // The generators reach every row of the pre-handshake table.
    for (const outcome of ['hello-ok', 'close 1000', 'close 1008', 'close 1008 INVALID_PARAMS', 'close 1008 AUTH_TOKEN_MISMATCH', 'close 1008 AUTH_TOKEN_MISSING', 'close 1002 PROTOCOL_MISMATCH', 'close 1009']) {
      expect(coverage.get(outcome) ?? 0, `${outcome} in ${JSON.stringify([...coverage])}`).toBeGreaterThanOrEqual(10);
    }
  }, timeoutFor(RUNS_BEFORE));

  it(`${RUNS_AFTER} frames after the handshake: each gets the documented answer and the connection stays usable`, async () => {
    coverage.clear();
    const { peer, hello } = await handshakeInProcess(gw.gateway!.connectInProcess(), gw.token);
    const implemented = new Set<string>(hello.features.methods);
    const fuzzPeer = asFuzzPeer(peer);
    await fc.assert(
      fc.asyncProperty(fuzzInputArb(gw.token), (input) => checkAfterHandshake(fuzzPeer, input, implemented, coverage)),
      { numRuns: RUNS_AFTER },
    );
    // Every contract method is implemented now; the role-node ones (skills.bins) stand for the refusals.
    for (const outcome of ['handled', 'no answer (cancel)', 'INVALID_REQUEST id invalid', 'INVALID_REQUEST frame', 'INVALID_REQUEST UNKNOWN_METHOD', 'INVALID_REQUEST INVALID_PARAMS', 'FORBIDDEN MISSING_SCOPE']) {
      expect(coverage.get(outcome) ?? 0, `${outcome} in ${JSON.stringify([...coverage])}`).toBeGreaterThanOrEqual(10);
    }
    expect((await peer.call('health', {})).ok).toBe(true);
    expect(await thrownWhileHandling(gw)).toEqual([]);
    peer.client.close();
  }, timeoutFor(RUNS_AFTER));

  it('memory stays bounded and no connection is left behind', async () => {
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.gateway!.runtime.connectionCount()).toBe(0);
    collectGarbage();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(grownMb).toBeLessThan(32);
  });
});
