// The navigation guard's rules, without a browser: schemes, literal and resolved private addresses,
// the exact-host exceptions, upstream's ssrfPolicy keys.
import { describe, expect, it } from 'vitest';
import { resolveBrowserSettings, type NavigationPolicy } from '../../server/browser/browser-settings.js';
import { checkNavigableUrl, refusalBeforeLookup, resolveAllowedHost } from '../../server/browser/navigation-guard.js';

const policy = (over: Partial<NavigationPolicy> = {}): NavigationPolicy => ({ allowPrivateHosts: [], allowPrivateNetwork: false, hostnameAllowlist: [], ...over });
const signal = () => AbortSignal.timeout(5000);

describe('navigation guard', () => {
  it('opens http, https and about:blank only', () => {
    expect(checkNavigableUrl('https://example.com/a').hostname).toBe('example.com');
    expect(checkNavigableUrl('about:blank').href).toBe('about:blank');
    for (const url of ['file:///etc/passwd', 'chrome://settings', 'javascript:alert(1)', 'data:text/html,hi', 'about:config', 'ftp://x/']) {
      expect(() => checkNavigableUrl(url), url).toThrow(/navigation_blocked/);
    }
    expect(() => checkNavigableUrl('https://user:pw@example.com/')).toThrow(/credentials/);
    expect(() => checkNavigableUrl('not a url')).toThrow(/invalid_request/);
  });

  it('refuses literal private addresses unless listed exactly', () => {
    expect(refusalBeforeLookup('10.0.0.1', policy())).toContain('browser.allowPrivateHosts');
    expect(refusalBeforeLookup('[::1]', policy())).toContain('loopback');
    expect(refusalBeforeLookup('169.254.169.254', policy())).toBeDefined();
    expect(refusalBeforeLookup('10.0.0.1', policy({ allowPrivateHosts: ['10.0.0.1'] }))).toBeUndefined();
    expect(refusalBeforeLookup('10.0.0.1', policy({ allowPrivateNetwork: true }))).toBeUndefined();
    expect(refusalBeforeLookup('93.184.216.34', policy())).toBeUndefined();
  });

  it('checks the addresses a name resolves to, and lets a listed name through', async () => {
    await expect(resolveAllowedHost('localhost', policy(), signal())).rejects.toThrow(/host localhost is a loopback/);
    await expect(resolveAllowedHost('localhost', policy({ allowPrivateHosts: ['127.0.0.1'] }), signal())).rejects.toThrow(/loopback/);
    const allowed = await resolveAllowedHost('LOCALHOST', policy({ allowPrivateHosts: ['localhost'] }), signal());
    expect(allowed.length).toBeGreaterThan(0);
  });

  it('limits hosts to ssrfPolicy.hostnameAllowlist when set', () => {
    const only = policy({ hostnameAllowlist: ['*.example.com', 'example.org'] });
    expect(refusalBeforeLookup('a.example.com', only)).toBeUndefined();
    expect(refusalBeforeLookup('example.org', only)).toBeUndefined();
    expect(refusalBeforeLookup('evil.test', only)).toContain('hostnameAllowlist');
  });

  it("merges upstream's ssrfPolicy keys into the policy", () => {
    const settings = resolveBrowserSettings({ allowPrivateHosts: ['a'], ssrfPolicy: { allowedHostnames: ['b'], dangerouslyAllowPrivateNetwork: true, hostnameAllowlist: ['c'] } }, {});
    expect(settings.navigation).toEqual({ allowPrivateHosts: ['a', 'b'], allowPrivateNetwork: true, hostnameAllowlist: ['c'] });
    expect(resolveBrowserSettings(undefined, {}).navigation.allowPrivateNetwork).toBe(false);
    expect(resolveBrowserSettings(undefined, { DISPLAY: ':0' }).headless).toBe(false);
    expect(resolveBrowserSettings(undefined, {}).headless).toBe(true);
  });
});
