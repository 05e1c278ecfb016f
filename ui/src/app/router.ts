// Hash routes: `#/<view>?<params>`, e.g. `#/chat?session=agent%3Amain%3Amain`. Every view has a URL
// that survives a reload and can be shared (without the token, which never goes in the URL).
export const VIEWS = [
  { id: 'chat', title: 'Chat' },
  { id: 'sessions', title: 'Sessions' },
  { id: 'agents', title: 'Agents' },
  { id: 'approvals', title: 'Approvals' },
  { id: 'config', title: 'Config' },
  { id: 'cron', title: 'Cron' },
  { id: 'channels', title: 'Channels' },
  { id: 'skills', title: 'Skills' },
  { id: 'nodes', title: 'Nodes' },
  { id: 'usage', title: 'Usage' },
  { id: 'logs', title: 'Logs' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export interface Route {
  readonly view: ViewId;
  readonly params: Readonly<Record<string, string>>;
}

const isView = (id: string): id is ViewId => VIEWS.some((v) => v.id === id);

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = body.split('?', 2);
  const view = isView(path) ? path : 'chat';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) if (k !== 'token') params[k] = v;
  return { view, params };
}

export function routeHref(view: ViewId, params: Readonly<Record<string, string>> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

export function navigate(view: ViewId, params: Readonly<Record<string, string>> = {}): void {
  location.hash = routeHref(view, params);
}
