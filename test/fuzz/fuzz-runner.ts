// Drives one fuzz input through a transport and checks the gateway's answer against the oracle.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import type { Frame } from '../helpers/raw-socket.js';
import type { InProcessPeer } from '../protocol/in-process-peer.js';
import type { FuzzInput } from './frame-arbitraries.js';
import { expectAfterHandshake, expectBeforeHandshake, type ExpectedReply } from './frame-oracle.js';

/** A client on either transport, after the challenge arrived. */
export interface FuzzPeer {
  sendInput(input: FuzzInput): void;
  sendFrame(frame: unknown): void;
  waitFor(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  readonly frames: Frame[];
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** An in-process peer as a FuzzPeer. */
export function asFuzzPeer(peer: InProcessPeer): FuzzPeer {
  return {
    sendInput: (input: FuzzInput) => (input.kind === 'binary' ? peer.client.sendBinary(input.bytes) : peer.client.send(input.text)),
    sendFrame: (frame) => peer.send(frame),
    waitFor: (predicate, timeoutMs) => peer.waitFor(predicate, timeoutMs ?? 10_000),
    frames: peer.frames,
    closed: peer.closed,
    close: () => peer.client.close(1000, 'done'),
  };
}

/** Lines of the gateway log where a frame's handling threw: the per-frame guard caught what validation should have. */
export async function thrownWhileHandling(gw: RunningGateway): Promise<string[]> {
  await gw.gateway!.runtime.logger.flush();
  return readFileSync(gw.gateway!.paths.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"msg":"handshake threw"') || line.includes('"msg":"dispatch threw"'))
    .map((line) => line.slice(0, 300));
}

function checkReply(res: Frame, expected: ExpectedReply, input: FuzzInput): void {
  const label = `answer to ${describe(input)}: ${JSON.stringify(res).slice(0, 300)}`;
  expect(res.type, label).toBe('res');
  expect(res.id, label).toBe(expected.id);
  if (expected.handled) {
    expect(res.error?.code, label).not.toBe('INTERNAL');
    return;
  }
  expect(res.ok, label).toBe(expected.ok);
  if (expected.code) expect(res.error?.code, label).toBe(expected.code);
  if (expected.detailCode) expect(res.error?.details?.code, label).toBe(expected.detailCode);
  if (!expected.ok) expect(res.error?.message, label).toBeTruthy();
}

export function describe(input: FuzzInput): string {
  return input.kind === 'binary' ? `binary(${input.bytes.byteLength})` : JSON.stringify(input.text.slice(0, 200));
}

/** A fresh connection gets one input before the handshake: the documented reply and close code. */
/** How often each kind of expected outcome came up, so a test can show the fuzz reached it. */
export type Coverage = Map<string, number>;

const count = (coverage: Coverage | undefined, key: string): void => void coverage?.set(key, (coverage.get(key) ?? 0) + 1);

export async function checkBeforeHandshake(open: () => Promise<FuzzPeer>, input: FuzzInput, token: string, coverage?: Coverage): Promise<void> {
  const expected = expectBeforeHandshake(input, token);
  count(coverage, expected.close === undefined ? 'hello-ok' : `close ${expected.close}${expected.reply?.detailCode ? ` ${expected.reply.detailCode}` : ''}`);
  const peer = await open();
  peer.sendInput(input);
  if (expected.reply) checkReply(await peer.waitFor((f) => f.type === 'res'), expected.reply, input);
  if (expected.close === undefined) {
    peer.close();
    await peer.closed;
    return;
  }
  const closed = await peer.closed;
  expect(closed.code, `close after ${describe(input)}`).toBe(expected.close);
  expect(peer.frames.filter((f) => f.type === 'res'), `extra answers to ${describe(input)}`).toEqual([]);
}

let sentinels = 0;

/** One input on a ready connection: the documented answer (or none for cancel), and the socket stays usable. */
export async function checkAfterHandshake(peer: FuzzPeer, input: FuzzInput, implemented: ReadonlySet<string>, coverage?: Coverage): Promise<void> {
  const expected = expectAfterHandshake(input, implemented);
  count(coverage, !expected ? 'no answer (cancel)' : expected.handled ? 'handled' : `${expected.code} ${expected.detailCode ?? (expected.id === 'invalid' ? 'id invalid' : 'frame')}`);
  peer.sendInput(input);
  const sentinel = `__sentinel_${++sentinels}`;
  peer.sendFrame({ type: 'req', id: sentinel, method: 'health', params: {} });
  if (expected) checkReply(await peer.waitFor((f) => f.type === 'res' && f.id === expected.id), expected, input);
  const alive = await peer.waitFor((f) => f.type === 'res' && f.id === sentinel);
  expect(alive.ok, `health after ${describe(input)}`).toBe(true);
  expect(peer.frames.filter((f) => f.type === 'res'), `extra answers to ${describe(input)}`).toEqual([]);
  peer.frames.length = 0; // events (tick, presence, health) are not under test here
}

let gcFn: (() => void) | undefined;

/** Full GC, exposed at run time so no vitest flags are needed. */
export function collectGarbage(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

export { expectBeforeHandshake, expectAfterHandshake };
