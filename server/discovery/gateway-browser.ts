// Browses `_openclaw-gw._tcp` over mDNS for a while and returns the gateways that answered
// (`openclaw gateway discover`). ciao only advertises, so browsing uses bonjour-service. TXT values
// are unauthenticated hints: callers connect to the SRV host/port and the addresses seen.
import { SERVICE_TYPE } from './mdns-advertiser.js';

export interface DiscoveredGateway {
  /** The instance name, e.g. "openclaw (OpenClaw)". */
  readonly name: string;
  /** SRV target host, e.g. "openclaw.local". */
  readonly host: string;
  readonly port: number;
  readonly addresses: readonly string[];
  /** TXT records as strings (role, gatewayPort, lanHost, displayName, transport, …). */
  readonly txt: Readonly<Record<string, string>>;
  /** ws:// URL built from the first IPv4 address (or the host) and the SRV port. */
  readonly url: string;
}

export interface BrowseOptions {
  /** How long to listen for answers (ms). */
  readonly timeoutMs: number;
  /** The local IPv4 address whose interface sends the queries (default: the OS's choice). */
  readonly interfaceAddress?: string;
  readonly signal?: AbortSignal;
}

/** The multicast-dns options bonjour-service passes through (its own typing names only service fields). */
interface MulticastSocketOptions {
  readonly interface?: string;
  readonly bind?: string;
}

const MAX_TXT_VALUE = 1_024;
const MAX_GATEWAYS = 256;

function txtStrings(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const text = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : typeof value === 'boolean' ? '' : String(value);
    out[key.slice(0, 64)] = text.slice(0, MAX_TXT_VALUE);
  }
  return out;
}

function gatewayUrl(host: string, addresses: readonly string[], port: number): string {
  const target = addresses.find((a) => !a.includes(':')) ?? addresses[0] ?? host;
  return `ws://${target.includes(':') ? `[${target}]` : target}:${port}/ws`;
}

export async function browseGateways(options: BrowseOptions): Promise<DiscoveredGateway[]> {
  const { Bonjour } = (await import('bonjour-service')).default;
  let failure: Error | undefined;
  // multicast-dns binds to `interface` unless told otherwise, and on Linux a socket bound to a unicast
  // address never receives multicast: bind the wildcard, query and join through the interface.
  const socketOptions: MulticastSocketOptions = options.interfaceAddress ? { interface: options.interfaceAddress, bind: '0.0.0.0' } : {};
  const bonjour = new Bonjour(socketOptions as ConstructorParameters<typeof Bonjour>[0], (error: Error) => {
    failure = error;
  });
  const found = new Map<string, DiscoveredGateway>();
  const browser = bonjour.find({ type: SERVICE_TYPE, protocol: 'tcp' });
  browser.on('up', (service) => {
    if (found.size >= MAX_GATEWAYS) return;
    const addresses = (service.addresses ?? []).slice(0, 16);
    const host = String(service.host ?? '');
    found.set(service.fqdn ?? service.name, {
      name: String(service.name),
      host,
      port: service.port,
      addresses,
      txt: txtStrings(service.txt),
      url: gatewayUrl(host, addresses, service.port),
    });
  });
  browser.on('down', (service) => found.delete(service.fqdn ?? service.name));
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.timeoutMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  } finally {
    browser.stop();
    await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
  }
  if (failure && found.size === 0) throw failure;
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
