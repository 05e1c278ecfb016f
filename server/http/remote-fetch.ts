// Fetches a file that a request names by URL, under the endpoint's policy:
// - http(s) only, and no credentials in the URL;
// - when `urlAllowlist` is set, only hosts on it (`example.com`, or `*.example.com` for subdomains);
// - never a loopback, private, link-local or otherwise special address, unless the host is listed
//   exactly (a `*.` entry never unlocks one: a subdomain someone else controls could point anywhere);
// - at most MAX_LOOKUPS host lookups at once: they run on libuv's small thread pool and cannot be
//   cancelled, so a name server that never answers must not take the pool from the rest of the gateway;
// - the connection goes to the address that was checked (no second DNS answer, so no rebinding);
// - each redirect is checked like the first URL, up to `maxRedirects`;
// - one deadline for the whole fetch, the size capped while reading, and the media type checked
//   before the body is read.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface RemoteFetchPolicy {
  /** Hosts that may be fetched (empty: any public host). Hosts listed exactly (not by `*.`) may also be private addresses. */
  readonly urlAllowlist: readonly string[];
  /** Media types accepted (lower case, without parameters). */
  readonly allowedMimes: readonly string[];
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly timeoutMs: number;
}

export interface FetchedFile {
  readonly bytes: Buffer;
  /** Lower-case media type from Content-Type, without parameters. */
  readonly mime: string;
  /** The Content-Type `charset` parameter, lower case, when there is one. */
  readonly charset?: string;
}

/** Which policy limit refused the fetch ('failed': the fetch itself went wrong). */
export type RemoteFetchRefusal = 'url' | 'host' | 'mime' | 'size' | 'redirects' | 'timeout' | 'failed';

/** Why a fetch was refused or failed. */
export class RemoteFetchError extends Error {
  constructor(
    message: string,
    readonly refusal: RemoteFetchRefusal = 'failed',
  ) {
    super(message);
  }
}

const SPECIAL_RANGES = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) SPECIAL_RANGES.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  // ::/96 holds ::, ::1 and the IPv4-compatible form; then IPv4-translated, NAT64, 6to4 and Teredo
  // (all of which can carry an IPv4 address), documentation, unique-local, site- and link-local, multicast.
  ['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fec0::', 10], ['fe80::', 10], ['ff00::', 8],
] as const) SPECIAL_RANGES.addSubnet(net, prefix, 'ipv6');

/** True for addresses a URL from a request must not reach unless its host is allowlisted. */
export function isSpecialAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return SPECIAL_RANGES.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return SPECIAL_RANGES.check(mapped[1]!, 'ipv4');
  return SPECIAL_RANGES.check(address, 'ipv6');
}

/** `host` matches an entry exactly, or a `*.domain` entry as a subdomain. */
export function hostAllowlisted(host: string, allowlist: readonly string[]): boolean {
  const h = host.toLowerCase();
  return allowlist.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith('*.') ? h.endsWith(e.slice(1)) : h === e;
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export type Resolved = { readonly address: string; readonly family: number };

/** Host lookups in flight at once, of libuv's 4 pool threads; the rest wait (under their deadline). */
const MAX_LOOKUPS = 2;
/** Lookups that may wait for a slot; beyond that a fetch is refused at once rather than queued. */
const MAX_WAITING_LOOKUPS = 64;
let lookupsInFlight = 0;
const waitingForLookup: (() => void)[] = [];

/** Waits for a lookup slot; an aborted wait leaves the queue at once (it holds no place there). */
function waitForLookupSlot(signal: AbortSignal): Promise<void> {
  if (waitingForLookup.length >= MAX_WAITING_LOOKUPS) return Promise.reject(new RemoteFetchError('too many file fetches are resolving host names; try again shortly'));
  return new Promise<void>((resolve, reject) => {
    const wake = (): void => {
      signal.removeEventListener('abort', leave);
      resolve();
    };
    const leave = (): void => {
      const index = waitingForLookup.indexOf(wake);
      if (index >= 0) waitingForLookup.splice(index, 1);
      reject(new RemoteFetchError('aborted'));
    };
    waitingForLookup.push(wake);
    signal.addEventListener('abort', leave, { once: true });
  });
}

/** Resolves `host` (every address, verbatim order) under the shared lookup limit; RemoteFetchError when it cannot. */
export async function resolveHost(host: string, signal: AbortSignal): Promise<Resolved[]> {
  if (signal.aborted) throw new RemoteFetchError('aborted');
  while (lookupsInFlight >= MAX_LOOKUPS) await waitForLookupSlot(signal);
  lookupsInFlight++;
  try {
    return await new Promise((resolve, reject) =>
      dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(new RemoteFetchError(`cannot resolve ${host}`)) : resolve(addresses))),
    );
  } finally {
    lookupsInFlight--;
    waitingForLookup.shift()?.();
  }
}

/** The URL's host checked against the policy; returns the addresses that may be connected to. */
async function checkedTargets(url: URL, policy: RemoteFetchPolicy, signal: AbortSignal): Promise<readonly Resolved[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RemoteFetchError(`only http(s) URLs can be fetched, not ${url.protocol}`, 'url');
  if (url.username || url.password) throw new RemoteFetchError('URLs with credentials are not fetched', 'url');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (policy.urlAllowlist.length > 0 && !hostAllowlisted(host, policy.urlAllowlist)) throw new RemoteFetchError(`host ${host} is not on the URL allowlist`, 'host');
  const listedExactly = policy.urlAllowlist.some((entry) => entry.toLowerCase() === host.toLowerCase());
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await resolveHost(host, signal);
  if (addresses.length === 0) throw new RemoteFetchError(`cannot resolve ${host}`);
  if (!listedExactly && addresses.some((a) => isSpecialAddress(a.address))) {
    throw new RemoteFetchError(`host ${host} is a loopback, private or reserved address; list it exactly in the URL allowlist to fetch from it`, 'host');
  }
  return addresses;
}

/**
 * A `lookup` for node:http that answers with the addresses already checked, whatever DNS says now:
 * all of them when node asks for all (it then tries each, IPv6 and IPv4), else the first.
 */
export function pinnedLookup(targets: readonly Resolved[]): LookupFunction {
  const pinned = (_host: string, options: LookupOptions, callback: (error: null, address: string | LookupAddress[], family?: number) => void): void => {
    if (options.all) callback(null, targets.map((t) => ({ address: t.address, family: t.family })));
    else callback(null, targets[0]!.address, targets[0]!.family);
  };
  return pinned as LookupFunction;
}

function get(url: URL, targets: readonly Resolved[], signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // agent: false — a connection of its own, never a pooled socket another request opened.
    const req = request(url, { method: 'GET', agent: false, signal, lookup: pinnedLookup(targets), headers: { accept: '*/*', 'user-agent': 'openclaw-gateway' } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function readCapped(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        // Settled first: destroying the response emits 'aborted' at once.
        reject(new RemoteFetchError(`larger than ${maxBytes} bytes`, 'size'));
        res.destroy();
      } else chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', () => reject(new RemoteFetchError(signal.aborted ? 'aborted' : 'the connection failed while reading')));
    res.once('aborted', () => reject(new RemoteFetchError('the connection closed early')));
  });
}

async function fetchFollowing(start: URL, policy: RemoteFetchPolicy, signal: AbortSignal): Promise<FetchedFile> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const targets = await checkedTargets(url, policy, signal);
    let res: IncomingMessage;
    try {
      res = await get(url, targets, signal);
    } catch (error) {
      if (error instanceof RemoteFetchError) throw error;
      throw new RemoteFetchError(signal.aborted ? 'aborted' : `could not connect (${(error as NodeJS.ErrnoException).code ?? 'network error'})`);
    }
    const status = res.statusCode ?? 0;
    // A redirect's or an error's body is never read (its size is not bounded): the connection is
    // this fetch's own, so it is simply closed.
    if (REDIRECTS.has(status) && res.headers.location) {
      res.destroy();
      if (hop >= policy.maxRedirects) throw new RemoteFetchError(`more than ${policy.maxRedirects} redirects`, 'redirects');
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status < 200 || status > 299) {
      res.destroy();
      throw new RemoteFetchError(`the server answered ${status}`);
    }
    const [type = '', ...typeParams] = (res.headers['content-type'] ?? 'application/octet-stream').split(';');
    const mime = type.trim().toLowerCase();
    const charset = typeParams.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1]).find(Boolean)?.toLowerCase();
    if (!policy.allowedMimes.includes(mime)) {
      res.destroy();
      throw new RemoteFetchError(`its media type ${mime.slice(0, 100)} is not allowed`, 'mime');
    }
    const declared = Number(res.headers['content-length'] ?? '0');
    if (declared > policy.maxBytes) {
      res.destroy();
      throw new RemoteFetchError(`larger than ${policy.maxBytes} bytes`, 'size');
    }
    const bytes = await readCapped(res, policy.maxBytes, signal);
    return charset ? { bytes, mime, charset } : { bytes, mime };
  }
}

/**
 * GETs `url` under `policy`. Rejects with RemoteFetchError (never anything else) on a refused URL,
 * a failed or slow fetch, an unwanted media type or an oversize body. `signal` (the client's
 * request) aborts the fetch too.
 */
export async function fetchRemoteFile(url: string, policy: RemoteFetchPolicy, signal?: AbortSignal): Promise<FetchedFile> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RemoteFetchError('not a valid URL', 'url');
  }
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const stop = (): RemoteFetchError =>
    signal?.aborted ? new RemoteFetchError('the request was cancelled') : new RemoteFetchError(`no answer within ${policy.timeoutMs} ms`, 'timeout');
  // The race answers on time even while DNS is still resolving; the loser's result is dropped.
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(stop());
    if (combined.aborted) onAbort();
    else combined.addEventListener('abort', onAbort, { once: true });
  });
  const fetching = fetchFollowing(parsed, policy, combined);
  fetching.catch(() => {});
  try {
    return await Promise.race([fetching, stopped]);
  } catch (error) {
    if (combined.aborted) throw stop();
    throw error instanceof RemoteFetchError ? error : new RemoteFetchError('the fetch failed');
  } finally {
    combined.removeEventListener('abort', onAbort!);
  }
}
