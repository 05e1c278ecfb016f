// Tabs and navigation: open, focus, close, list, navigate. A navigation is checked before it starts
// (scheme, host, addresses) and judged after it ends by what the guard proxy refused on the way
// (a redirect to a refused host, a host whose address changed).
import type { Request } from 'playwright-core';
import type { BrowserSession } from './browser-session.js';
import type { BrowserTab } from './browser-tab.js';
import { BrowserError } from './browser-error.js';
import type { NavigationPolicy } from './browser-settings.js';
import { checkNavigableUrl, resolveAllowedHost } from './navigation-guard.js';
import { browserFailure, guarded, pw, type ActionScope } from './action-scope.js';

/** Upstream's tab shape. */
export interface TabSummary {
  readonly targetId: string;
  readonly title: string;
  readonly url: string;
  readonly type: 'page';
}

export async function tabSummary(tab: BrowserTab): Promise<TabSummary> {
  const title = await tab.page.title().catch(() => '');
  return { targetId: tab.targetId, title, url: tab.page.url(), type: 'page' };
}

export async function listTabs(session: BrowserSession): Promise<TabSummary[]> {
  return Promise.all([...session.tabs.values()].filter((t) => !t.closed).map(tabSummary));
}

/** Loads `rawUrl` in `tab`; returns upstream's `{ok, targetId, url}` plus what the guard blocked on the page. */
export async function navigateTab(session: BrowserSession, tab: BrowserTab, rawUrl: string, policy: NavigationPolicy, scope: ActionScope) {
  const url = checkNavigableUrl(rawUrl);
  const what = `navigating to ${url.href.slice(0, 200)}`;
  if (url.protocol !== 'about:') {
    await guarded(scope, what, () => resolveAllowedHost(url.hostname, policy, scope.signal));
  }
  const since = Date.now();
  // Hosts the main document was requested from: the URL and every redirect hop.
  const documentHosts = new Set<string>();
  const onRequest = (request: Request): void => {
    try {
      if (!request.isNavigationRequest() || request.frame() !== tab.page.mainFrame()) return;
    } catch {
      return; // a service worker's request has no frame
    }
    const host = safeHost(request.url());
    if (host) documentHosts.add(host);
  };
  tab.page.on('request', onRequest);
  let failure: unknown;
  try {
    await tab.page.goto(url.href, { waitUntil: 'load', ...pw(scope) });
  } catch (error) {
    failure = error;
  } finally {
    tab.page.off('request', onRequest);
  }
  const refused = session.proxy.refusedSince(since);
  // The document itself was refused (at a redirect hop or at the end): the page shows nothing of it.
  const blocked = refused.find((r) => documentHosts.has(r.host));
  if (blocked) {
    await tab.page.goto('about:blank').catch(() => {});
    throw new BrowserError('navigation_blocked', `${what} was stopped: ${blocked.reason}`);
  }
  if (failure !== undefined) throw browserFailure(failure, scope, what);
  const result: { ok: true; targetId: string; url: string; blockedRequests?: string[] } = { ok: true, targetId: tab.targetId, url: tab.page.url() };
  if (refused.length > 0) result.blockedRequests = [...new Set(refused.map((r) => r.host))].slice(0, 10);
  return result;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

export async function openTab(session: BrowserSession, rawUrl: string, policy: NavigationPolicy, scope: ActionScope): Promise<TabSummary> {
  checkNavigableUrl(rawUrl);
  const tab = await guarded(scope, 'opening a tab', () => session.newTab());
  try {
    await navigateTab(session, tab, rawUrl, policy, scope);
  } catch (error) {
    // A tab whose page was refused or never loaded is kept (the model may retry in it) unless aborted.
    if (scope.callerSignal.aborted) await session.closeTab(tab);
    throw error;
  }
  return tabSummary(tab);
}
