// The same fuzz, fewer runs, over a real WebSocket on loopback: what the in-process run checks
// also holds through ws framing, UTF-8 decoding and the socket limits.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { call, openRaw, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { startWith } from '../protocol/gateway-fixtures.js';
import { fuzzInputArb, type FuzzInput } from './frame-arbitraries.js';
import { checkAfterHandshake, checkBeforeHandshake, type FuzzPeer } from './fuzz-runner.js';
import { runs, timeoutFor } from './fuzz-scale.js';

const RUNS_BEFORE = runs(300, 2_000);
const RUNS_AFTER = runs(700, 5_000);

/** What arrives after ws encodes a JS string as UTF-8 (lone surrogates become U+FFFD). */
const onTheWire = (input: FuzzInput): FuzzInput => (input.kind === 'text' ? { kind: 'text', text: Buffer.from(input.text, 'utf8').toString('utf8') } : input);

function asFuzzPeer(socket: RawSocket): FuzzPeer {
  return {
    sendInput: (input) => (input.kind === 'binary' ? socket.ws.send(input.bytes, { binary: true }) : socket.sendText(input.text)),
    sendFrame: (frame) => socket.send(frame),
    waitFor: (predicate, timeoutMs) => socket.waitFor(predicate, timeoutMs ?? 10_000),
    frames: socket.frames,
    closed: socket.closed,
    close: () => socket.close(),
  };
}

describe('frame fuzz (real WebSocket)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { auth: { failureDelayMs: 0, rateLimit: { exemptLoopback: true } }, limits: { maxPreauthPerIp: 256 } } });
  });
  afterAll(() => gw?.stop());

  const open = async (): Promise<FuzzPeer> => {
    const socket = await openRaw(gw.url);
    await socket.waitFor((f) => f.event === 'connect.challenge');
    return asFuzzPeer(socket);
  };

  it(`${RUNS_BEFORE} frames before the handshake`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzInputArb(gw.token), (input) => checkBeforeHandshake(open, onTheWire(input), gw.token)),
      { numRuns: RUNS_BEFORE },
    );
  }, timeoutFor(RUNS_BEFORE));

  it(`${RUNS_AFTER} frames after the handshake on one socket`, async () => {
    const { socket, hello } = await openReady(gw.url, gw.token);
    const implemented = new Set<string>(hello.features.methods);
    const peer = asFuzzPeer(socket);
    await fc.assert(
      fc.asyncProperty(fuzzInputArb(gw.token), (input) => checkAfterHandshake(peer, onTheWire(input), implemented)),
      { numRuns: RUNS_AFTER },
    );
    expect((await call(socket, 'health')).ok).toBe(true);
    socket.close();
  }, timeoutFor(RUNS_AFTER));

  // Not in docs/protocol.md's tables: RFC 6455 requires closing 1007 on a text frame that is not UTF-8.
  it('a text frame that is not UTF-8 closes 1007, before and after the handshake', async () => {
    const early = await openRaw(gw.url);
    await early.next();
    early.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await early.closed).code).toBe(1007);

    const { socket } = await openReady(gw.url, gw.token);
    socket.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    expect((await socket.closed).code).toBe(1007);
    // The gateway drops the connection too (its close event may trail the client's).
    for (let i = 0; i < 200 && gw.gateway!.runtime.connectionCount() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(gw.gateway!.runtime.connectionCount()).toBe(0);
  });
});
