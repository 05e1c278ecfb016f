// What the browser may open: http(s) and about:blank only, and never a loopback, private or
// reserved address unless its host is listed (browser.allowPrivateHosts). The address rules and
// the bounded host lookups are remote-fetch's, shared with the HTTP endpoints' URL fetches.
import { isIP } from 'node:net';
import type { LRUCache } from 'lru-cache';
import { hostAllowlisted, isSpecialAddress, RemoteFetchError, resolveHost, type Resolved } from '../http/remote-fetch.js';
import { BrowserError } from './browser-error.js';
import type { NavigationPolicy } from './browser-settings.js';

/** Parses a URL the model asked to open; throws navigation_blocked unless it is http(s) or about:blank. */
export function checkNavigableUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BrowserError('invalid_request', `not a valid URL: ${raw.slice(0, 200)}; give an absolute http(s) URL`);
  }
  if (url.href === 'about:blank') return url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BrowserError('navigation_blocked', `only http, https and about:blank can be opened, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new BrowserError('navigation_blocked', 'URLs with credentials in them are not opened');
  return url;
}

const bare = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase();

/** True when the host is listed exactly (names and addresses compare case-insensitively). */
export function privateHostAllowed(host: string, policy: NavigationPolicy): boolean {
  const h = bare(host);
  return policy.allowPrivateNetwork || policy.allowPrivateHosts.some((entry) => bare(entry) === h);
}

/** Why a host is refused before any lookup, or undefined (the allowlist, a literal special address). */
export function refusalBeforeLookup(host: string, policy: NavigationPolicy): string | undefined {
  const h = bare(host);
  if (policy.hostnameAllowlist.length > 0 && !hostAllowlisted(h, policy.hostnameAllowlist)) {
    return `host ${h} is not on browser.ssrfPolicy.hostnameAllowlist`;
  }
  if (isIP(h) && isSpecialAddress(h) && !privateHostAllowed(h, policy)) return privateRefusal(h);
  return undefined;
}

const privateRefusal = (host: string): string =>
  `host ${host} is a loopback, private or reserved address; add it to browser.allowPrivateHosts to open it`;

/**
 * Resolves a host and checks every address it has; returns the addresses to connect to (the
 * caller connects to these, never to a second lookup's answer). Throws BrowserError navigation_blocked.
 */
export async function resolveAllowedHost(
  host: string,
  policy: NavigationPolicy,
  signal: AbortSignal,
  /** Recent answers by host name: the addresses are checked on every use and connected to as given. */
  cache?: LRUCache<string, readonly Resolved[]>,
): Promise<readonly Resolved[]> {
  const refusal = refusalBeforeLookup(host, policy);
  if (refusal) throw new BrowserError('navigation_blocked', refusal);
  const h = bare(host);
  const family = isIP(h);
  let addresses: readonly Resolved[];
  try {
    const cached = family ? undefined : cache?.get(h);
    addresses = family ? [{ address: h, family }] : (cached ?? (await resolveHost(h, signal)));
    if (!family && !cached && addresses.length > 0) cache?.set(h, addresses);
  } catch (error) {
    throw new BrowserError('navigation_blocked', error instanceof RemoteFetchError ? error.message : `cannot resolve ${h}`);
  }
  if (addresses.length === 0) throw new BrowserError('navigation_blocked', `cannot resolve ${h}`);
  if (!privateHostAllowed(h, policy) && addresses.some((a) => isSpecialAddress(a.address))) throw new BrowserError('navigation_blocked', privateRefusal(h));
  return addresses;
}
