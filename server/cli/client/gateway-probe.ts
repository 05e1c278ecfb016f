// One probe of one gateway: can it be reached, does the handshake pass (protocol, auth, granted
// scopes), how long do a handshake and a round trip take, and do read calls work.
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import { connectGateway } from './gateway-connection.js';
import { ConnectFailure, describeCallError } from './gateway-failure.js';
import type { GatewayTarget } from './gateway-target.js';

export type Capability = 'admin' | 'write' | 'read' | 'limited' | 'none';

export interface ProbeError {
  readonly code: string;
  readonly detailCode?: string | undefined;
  readonly message: string;
}

export interface ProbeResult {
  readonly url: string;
  /** A WebSocket was accepted and the gateway answered (even if it refused the credentials). */
  readonly reachable: boolean;
  readonly connect: { readonly ok: boolean; readonly ms: number; readonly error?: ProbeError };
  readonly protocol?: number;
  readonly server?: { readonly version: string; readonly connId: string };
  readonly auth?: { readonly role: string; readonly scopes: readonly string[]; readonly capability: Capability; readonly via: string | undefined };
  /** Round trips of `health` (ms): the best and the median of a few. */
  readonly rtt?: { readonly minMs: number; readonly medianMs: number; readonly samples: number };
  /** A read-scope call (`status`) worked. */
  readonly read?: { readonly ok: boolean; readonly error?: ProbeError };
}

function capabilityOf(scopes: readonly string[]): Capability {
  if (scopes.includes('operator.admin')) return 'admin';
  if (scopes.includes('operator.write')) return 'write';
  if (scopes.includes('operator.read')) return 'read';
  return scopes.length ? 'limited' : 'none';
}

const asProbeError = (error: unknown): ProbeError => {
  if (error instanceof ConnectFailure) return { code: error.code, detailCode: error.detailCode, message: error.message };
  if (error instanceof GatewayError) return { code: error.code, detailCode: error.detailCode, message: describeCallError(error) };
  return { code: 'FAILED', message: error instanceof Error ? error.message : String(error) };
};

const ROUND_TRIPS = 3;

export async function probeGateway(target: GatewayTarget, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  let client;
  try {
    client = await connectGateway(target, { timeoutMs, mode: 'probe' });
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    // The gateway answered the handshake (and refused it): reachable, but not usable with these credentials.
    const answered = error instanceof ConnectFailure && (error.problem.kind === 'refused' || (error.problem.kind === 'closed' && !error.problem.cause));
    return { url: target.url, reachable: answered, connect: { ok: false, ms, error: asProbeError(error) } };
  }
  try {
    const connectMs = Math.round(performance.now() - started);
    const hello = client.hello!;
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const t0 = performance.now();
      await client.health({}, { timeoutMs });
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    let read: ProbeResult['read'];
    try {
      await client.status({}, { timeoutMs });
      read = { ok: true };
    } catch (error) {
      read = { ok: false, error: asProbeError(error) };
    }
    return {
      url: target.url,
      reachable: true,
      connect: { ok: true, ms: connectMs },
      protocol: hello.protocol,
      server: hello.server,
      auth: { role: hello.auth.role, scopes: hello.auth.scopes, capability: capabilityOf(hello.auth.scopes), via: target.authSource },
      rtt: { minMs: round1(samples[0]!), medianMs: round1(samples[Math.floor(samples.length / 2)]!), samples: samples.length },
      read,
    };
  } catch (error) {
    return { url: target.url, reachable: true, connect: { ok: true, ms: Math.round(performance.now() - started) }, read: { ok: false, error: asProbeError(error) } };
  } finally {
    client.close();
  }
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;
