// Bonjour/mDNS advertisement of the gateway (reference §9): `_openclaw-gw._tcp` in `local.`, the
// instance `<hostname> (OpenClaw)`, port = the gateway port, TXT hints (role, gatewayPort, lanHost,
// displayName, transport; cliPath and sshPort only in full mode). Only when the gateway listens
// beyond loopback, or discovery.mdns.enabled says so; never with mode off or
// OPENCLAW_DISABLE_BONJOUR=1. Implemented with @homebridge/ciao; its cancelled-probe rejections
// (shutdown or a renamed instance) are expected and never take the gateway down.
import { hostname as osHostname } from 'node:os';
import type { DiscoveryConfig } from '../../contract/schemas/nodes-config.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { isLoopbackAddress } from '../transport/ws-frame-socket.js';

export const SERVICE_TYPE = 'openclaw-gw';
const CANCELLED = 'CIAO PROBING CANCELLED';

export interface AdvertiseInput {
  readonly discovery: DiscoveryConfig | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** The address the gateway listens on, and its port. */
  readonly host: string;
  readonly port: number;
  readonly version: string;
}

export function shouldAdvertise(input: Pick<AdvertiseInput, 'discovery' | 'env' | 'host'>): boolean {
  const mdns = input.discovery?.mdns;
  if (mdns?.mode === 'off' || input.env.OPENCLAW_DISABLE_BONJOUR === '1') return false;
  if (mdns?.enabled === false) return false;
  return mdns?.enabled === true || !(isLoopbackAddress(input.host) || input.host === 'localhost');
}

/** The first DNS label of the advertised host name (upstream: OPENCLAW_MDNS_HOSTNAME or "openclaw"). */
export function mdnsHostname(input: Pick<AdvertiseInput, 'discovery' | 'env'>): string {
  const raw = input.discovery?.mdns?.hostname ?? input.env.OPENCLAW_MDNS_HOSTNAME ?? 'openclaw';
  const label = raw.split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return label || 'openclaw';
}

export function gatewayTxt(input: AdvertiseInput): Record<string, string> {
  const host = mdnsHostname(input);
  const txt: Record<string, string> = {
    role: 'gateway',
    gatewayPort: String(input.port),
    lanHost: `${host}.local`,
    displayName: input.discovery?.mdns?.displayName ?? osHostname(),
    transport: 'gateway',
  };
  if (input.env.OPENCLAW_TAILNET_DNS && input.discovery?.mdns?.mode === 'full') txt.tailnetDns = input.env.OPENCLAW_TAILNET_DNS;
  if (input.discovery?.mdns?.mode === 'full') {
    if (process.argv[1]) txt.cliPath = process.argv[1];
    txt.sshPort = input.env.OPENCLAW_SSH_PORT ?? '22';
  }
  return txt;
}

/** ciao's own "probing was cancelled" (shutdown, name conflict) — expected, not a failure. */
export function isCiaoCancellation(reason: unknown): boolean {
  const text = typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : '';
  return text.includes(CANCELLED);
}

export interface Advertisement {
  readonly name: string;
  stop(): Promise<void>;
}

export async function advertiseGateway(input: AdvertiseInput, logger: GatewayLogger): Promise<Advertisement | undefined> {
  if (!shouldAdvertise(input)) return undefined;
  const host = mdnsHostname(input);
  const name = `${host} (OpenClaw)`;
  // Only ciao's cancellations are swallowed; any other unhandled rejection still ends the process.
  const guard = (reason: unknown): void => {
    if (isCiaoCancellation(reason)) {
      logger.debug('mDNS probing cancelled (expected on shutdown or rename)');
      return;
    }
    process.off('unhandledRejection', guard);
    throw reason;
  };
  process.on('unhandledRejection', guard);
  const ciao = (await import('@homebridge/ciao')).default;
  const wildcard = input.host === '0.0.0.0' || input.host === '::';
  // Bound to one address: answer only on its interface (elsewhere the gateway is unreachable).
  const responder = wildcard ? ciao.getResponder() : ciao.getResponder({ interface: input.host });
  const service = responder.createService({
    name,
    type: SERVICE_TYPE,
    port: input.port,
    hostname: host,
    txt: gatewayTxt(input),
    ...(wildcard ? {} : { restrictedAddresses: [input.host] }),
  });
  service.on('name-change', (next: string) => logger.notice('mDNS instance renamed after a conflict', { name: next }));
  let stopped: Promise<void> | undefined;
  // ciao resolves advertise() also when stop() cancelled the probe: only a live service is announced.
  service.advertise().then(
    () => {
      if (!stopped) logger.notice('advertising over mDNS', { name, type: `_${SERVICE_TYPE}._tcp`, port: input.port });
    },
    (error: unknown) => {
      if (!isCiaoCancellation(error)) logger.warn('mDNS advertisement failed', { error: error instanceof Error ? error.message : String(error) });
    },
  );
  return {
    name,
    stop: () =>
      (stopped ??= (async () => {
        try {
          await service.end();
          await service.destroy();
          await responder.shutdown();
        } catch (error) {
          if (!isCiaoCancellation(error)) logger.warn('mDNS shutdown failed', { error: error instanceof Error ? error.message : String(error) });
        } finally {
          // Late cancellations from the shutdown are still ciao's; drop the guard a moment after.
          setTimeout(() => process.off('unhandledRejection', guard), 1_000).unref();
        }
      })()),
  };
}
