// The browser settings in force, read from the live config (and the environment for the display)
// each time a browser starts or an action runs, so a config reload applies to the next one.
import type { BrowserConfig } from '../../contract/schemas/browser-config.js';
import { findChromium, type ChromiumLookup } from './chromium-executable.js';

export const DEFAULT_PROFILE = 'openclaw';
export const DEFAULT_COLOR = '#FF4500';
/** Upstream's snapshot size limits (characters) and efficient-mode depth. */
export const SNAPSHOT_MAX_CHARS = 80_000;
export const SNAPSHOT_EFFICIENT_MAX_CHARS = 10_000;
export const SNAPSHOT_EFFICIENT_DEPTH = 6;
export const MIN_ACTION_TIMEOUT_MS = 1000;
export const MAX_ACTION_TIMEOUT_MS = 120_000;

export interface NavigationPolicy {
  /** Exact host names or addresses that may resolve to loopback/private addresses. */
  readonly allowPrivateHosts: readonly string[];
  /** Every private address is allowed (upstream's dangerouslyAllowPrivateNetwork). */
  readonly allowPrivateNetwork: boolean;
  /** When non-empty, the only hosts that may be opened (`*.example.com` for subdomains). */
  readonly hostnameAllowlist: readonly string[];
}

export interface BrowserSettings {
  readonly enabled: boolean;
  readonly evaluateEnabled: boolean;
  readonly chromium: ChromiumLookup;
  readonly cdpUrl: string | undefined;
  readonly attachOnly: boolean;
  readonly attachTimeoutMs: number;
  readonly headless: boolean;
  readonly noSandbox: boolean;
  readonly gpu: boolean;
  readonly extraArgs: readonly string[];
  readonly profile: string;
  readonly color: string;
  readonly idleTimeoutMs: number;
  readonly maxTabs: number;
  readonly maxBrowsers: number;
  readonly actionTimeoutMs: number;
  readonly launchTimeoutMs: number;
  readonly maxDownloadBytes: number;
  readonly snapshotMode: 'efficient' | undefined;
  readonly navigation: NavigationPolicy;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

export function resolveBrowserSettings(config: BrowserConfig | undefined, env: NodeJS.ProcessEnv): BrowserSettings {
  const c = config ?? {};
  const ssrf = c.ssrfPolicy ?? {};
  const remoteTimeout = c.remoteCdpTimeoutMs ?? 1500;
  return {
    enabled: c.enabled ?? true,
    evaluateEnabled: c.evaluateEnabled ?? true,
    chromium: findChromium(c.executablePath),
    cdpUrl: c.cdpUrl,
    attachOnly: c.attachOnly ?? false,
    attachTimeoutMs: c.remoteCdpHandshakeTimeoutMs ?? Math.max(remoteTimeout * 2, 2000),
    headless: c.headless ?? !(env.DISPLAY || env.WAYLAND_DISPLAY),
    noSandbox: c.noSandbox ?? isRoot(),
    gpu: c.gpuEnabled ?? false,
    extraArgs: c.extraArgs ?? [],
    profile: c.defaultProfile ?? DEFAULT_PROFILE,
    color: c.color ?? DEFAULT_COLOR,
    idleTimeoutMs: c.idleTimeoutMs ?? 600_000,
    maxTabs: c.maxTabs ?? 8,
    maxBrowsers: c.maxBrowsers ?? 4,
    actionTimeoutMs: c.actionTimeoutMs ?? 20_000,
    launchTimeoutMs: c.launchTimeoutMs ?? 30_000,
    maxDownloadBytes: c.maxDownloadBytes ?? 50 * 1024 * 1024,
    snapshotMode: c.snapshotDefaults?.mode,
    navigation: {
      allowPrivateHosts: [...(c.allowPrivateHosts ?? []), ...(ssrf.allowedHostnames ?? [])],
      allowPrivateNetwork: ssrf.dangerouslyAllowPrivateNetwork ?? ssrf.allowPrivateNetwork ?? false,
      hostnameAllowlist: ssrf.hostnameAllowlist ?? [],
    },
  };
}

/** A call's timeoutMs clamped to upstream's range, or the configured default. */
export function actionTimeout(requested: number | undefined, settings: Pick<BrowserSettings, 'actionTimeoutMs'>): number {
  if (requested === undefined || !Number.isFinite(requested)) return settings.actionTimeoutMs;
  return Math.max(MIN_ACTION_TIMEOUT_MS, Math.min(MAX_ACTION_TIMEOUT_MS, Math.floor(requested)));
}
