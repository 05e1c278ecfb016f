// `browser` in openclaw.json: upstream's keys (types.browser.ts) plus this gateway's limits. Closed,
// so a misspelled key is reported; upstream keys this gateway does not act on are said so below.
import { z } from 'zod';

const PositiveInt = z.number().int().min(1);
const Ms = z.number().int().min(0).max(86_400_000);

/** Upstream's SSRF policy block; this gateway refuses private addresses unless told otherwise. */
const BrowserSsrfPolicyConfig = z.strictObject({
  /** Legacy alias of dangerouslyAllowPrivateNetwork. */
  allowPrivateNetwork: z.boolean().optional(),
  /** Every private, loopback and link-local address may be opened (default false here). */
  dangerouslyAllowPrivateNetwork: z.boolean().optional(),
  /** Host names (exact) that may be private addresses; merged with browser.allowPrivateHosts. */
  allowedHostnames: z.array(z.string().min(1).max(253)).max(256).optional(),
  /** When set, only these hosts may be opened: `example.com` or `*.example.com`. */
  hostnameAllowlist: z.array(z.string().min(1).max(253)).max(256).optional(),
});

export const BrowserConfig = z.strictObject({
  /** false: the browser tool is not offered (default true). */
  enabled: z.boolean().optional(),
  /** false: act:evaluate (page JavaScript) is refused (default true, as upstream). */
  evaluateEnabled: z.boolean().optional(),
  /** Attach to this Chromium (`http://127.0.0.1:9222` or a `ws://` DevTools URL) instead of launching one. */
  cdpUrl: z.string().min(1).max(2048).optional(),
  /** Time to reach the attached Chromium (default 1500 ms for the HTTP probe, as upstream). */
  remoteCdpTimeoutMs: PositiveInt.max(120_000).optional(),
  /** Time for the DevTools WebSocket handshake (default max(2 × remoteCdpTimeoutMs, 2000)). */
  remoteCdpHandshakeTimeoutMs: PositiveInt.max(120_000).optional(),
  /** Shown in status (upstream's profile accent colour). */
  color: z.string().max(32).optional(),
  /** The Chromium to launch; default the first of the known install paths that exists. */
  executablePath: z.string().min(1).max(4096).optional(),
  /** Default: headless when there is no DISPLAY / WAYLAND_DISPLAY. */
  headless: z.boolean().optional(),
  /** Pass --no-sandbox (default: when running as root, where Chromium's sandbox cannot start). */
  noSandbox: z.boolean().optional(),
  /** Keep GPU acceleration (no --disable-gpu). */
  gpuEnabled: z.boolean().optional(),
  /** Never launch: only attach to browser.cdpUrl. */
  attachOnly: z.boolean().optional(),
  /** Upstream's CDP port range for launched profiles; not used (this gateway talks to Chromium over a pipe). */
  cdpPortRangeStart: z.number().int().min(1).max(65535).optional(),
  /** The profile name (default `openclaw`). */
  defaultProfile: z.string().min(1).max(64).optional(),
  /** Upstream's named profiles; not used by this gateway (one profile per agent). */
  profiles: z.record(z.string(), z.looseObject({})).optional(),
  snapshotDefaults: z.strictObject({ mode: z.enum(['efficient']).optional() }).optional(),
  ssrfPolicy: BrowserSsrfPolicyConfig.optional(),
  /** Extra Chromium flags, appended to the launch flags. */
  extraArgs: z.array(z.string().min(1).max(1024)).max(64).optional(),
  // ── this gateway's keys ──
  /** Hosts (exact names or IP addresses) that may be loopback or private addresses, e.g. `127.0.0.1`, `intranet.local`. */
  allowPrivateHosts: z.array(z.string().min(1).max(253)).max(256).optional(),
  /** Close an agent's browser after this long without an action (default 600000; 0 never). */
  idleTimeoutMs: Ms.optional(),
  /** Open tabs per agent (default 8). */
  maxTabs: PositiveInt.max(100).optional(),
  /** Browsers running at once across agents (default 4). */
  maxBrowsers: PositiveInt.max(64).optional(),
  /** Default time limit of an action (default 20000; a call's timeoutMs overrides it, 1000–120000). */
  actionTimeoutMs: PositiveInt.max(120_000).optional(),
  /** Time Chromium may take to start (default 30000). */
  launchTimeoutMs: PositiveInt.max(300_000).optional(),
  /** Largest download kept (default 52428800 bytes); bigger ones are cancelled and deleted. */
  maxDownloadBytes: PositiveInt.optional(),
});
export type BrowserConfig = z.infer<typeof BrowserConfig>;
