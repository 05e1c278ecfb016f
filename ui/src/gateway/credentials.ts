// The operator's gateway secret for this tab: kept in sessionStorage (gone when the tab closes,
// never in localStorage or the URL), and taken once from a `#token=` link, which is then removed
// from the address bar so it is not bookmarked, shared or left in the history.

export interface Credentials {
  readonly kind: 'token' | 'password';
  readonly secret: string;
}

const STORAGE_KEY = 'openclaw.control.credentials';

export function loadCredentials(storage: Storage = sessionStorage): Credentials | undefined {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Credentials>;
    if ((parsed.kind === 'token' || parsed.kind === 'password') && typeof parsed.secret === 'string') return { kind: parsed.kind, secret: parsed.secret };
  } catch {
    // Unreadable storage (disabled, or a value from elsewhere): ask again.
  }
  return undefined;
}

export function saveCredentials(credentials: Credentials, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  } catch {
    // Storage refused (private mode quota): the login holds for this page only.
  }
}

export function clearCredentials(storage: Storage = sessionStorage): void {
  try {
    storage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}

/**
 * The token of a `#token=…` fragment (also `#/route?token=…`), removed from the address bar.
 * Returns undefined when the fragment carries none.
 */
export function takeFragmentToken(location: Location, history: History): string | undefined {
  const hash = location.hash.replace(/^#/, '');
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : hash.startsWith('token=') ? hash : '';
  if (!query) return undefined;
  const params = new URLSearchParams(query);
  const token = params.get('token');
  if (token === null) return undefined;
  params.delete('token');
  const route = hash.includes('?') ? hash.slice(0, hash.indexOf('?')) : '';
  const rest = params.toString();
  const nextHash = route ? `#${route}${rest ? `?${rest}` : ''}` : rest ? `#?${rest}` : '';
  history.replaceState(history.state, '', `${location.pathname}${location.search}${nextHash}`);
  return token.trim() || undefined;
}
