// The browsers of one gateway: at most one per agent (started on first use, shared by its tabs),
// at most browser.maxBrowsers at once, all closed — and killed if need be — on gateway shutdown.
import { BrowserError } from './browser-error.js';
import { agentBrowserPaths, type AgentBrowserPaths } from './browser-paths.js';
import { BrowserSession } from './browser-session.js';
import type { DownloadEntry } from './download-guard.js';
import { resolveBrowserSettings, type BrowserSettings } from './browser-settings.js';
import type { BrowserConfig } from '../../contract/schemas/browser-config.js';
import { listTabs } from './tab-actions.js';

export interface BrowserServiceDeps {
  readonly stateDir: string;
  config(): BrowserConfig | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: { info(message: string, data?: Record<string, unknown>): void; warn(message: string, data?: Record<string, unknown>): void };
}

/** Upstream's BrowserStatus, for one agent. */
export interface AgentBrowserStatus {
  readonly enabled: boolean;
  readonly profile: string;
  readonly running: boolean;
  readonly pid: number | null;
  readonly cdpUrl: string | null;
  readonly chosenBrowser: string | null;
  readonly detectedExecutablePath: string | null;
  readonly detectError: string | null;
  readonly userDataDir: string | null;
  readonly color: string;
  readonly headless: boolean;
  readonly noSandbox: boolean;
  readonly executablePath: string | null;
  readonly attachOnly: boolean;
  readonly tabCount: number;
  /** The latest downloads: saved (with their path), cancelled over the size cap, or failed. */
  readonly downloads: readonly DownloadEntry[];
}

export class BrowserService {
  private readonly sessions = new Map<string, Promise<BrowserSession>>();
  private stopped = false;

  constructor(private readonly deps: BrowserServiceDeps) {}

  settings(): BrowserSettings {
    return resolveBrowserSettings(this.deps.config(), this.deps.env);
  }

  paths(agentId: string): AgentBrowserPaths {
    return agentBrowserPaths(this.deps.stateDir, agentId);
  }

  /** The agent's running browser, if any (never starts one). */
  async running(agentId: string): Promise<BrowserSession | undefined> {
    const pending = this.sessions.get(agentId);
    if (!pending) return undefined;
    try {
      const session = await pending;
      return session.running ? session : undefined;
    } catch {
      return undefined;
    }
  }

  /** The agent's browser, started when it has none. */
  session(agentId: string): Promise<BrowserSession> {
    if (this.stopped) return Promise.reject(new BrowserError('unavailable', 'the gateway is shutting down'));
    const existing = this.sessions.get(agentId);
    if (existing) return existing;
    const settings = this.settings();
    if (this.sessions.size >= settings.maxBrowsers) {
      return Promise.reject(new BrowserError('browser_limit', `${this.sessions.size} browsers are running (browser.maxBrowsers ${settings.maxBrowsers}); stop one with action=stop or wait for one to close when idle`));
    }
    const starting = BrowserSession.start({
      agentId,
      paths: this.paths(agentId),
      settings: () => this.settings(),
      onGone: (session) => {
        if (this.sessions.get(agentId) === starting) this.sessions.delete(agentId);
        this.deps.logger.info('browser closed', { agentId, pid: session.pid });
      },
    });
    this.sessions.set(agentId, starting);
    starting.then(
      (session) => this.deps.logger.info('browser started', { agentId, mode: session.mode, pid: session.pid }),
      (error: Error) => {
        if (this.sessions.get(agentId) === starting) this.sessions.delete(agentId);
        this.deps.logger.warn('browser did not start', { agentId, error: error.message });
      },
    );
    return starting;
  }

  async stop(agentId: string): Promise<void> {
    const session = await this.running(agentId);
    this.sessions.delete(agentId);
    await session?.close();
  }

  async status(agentId: string): Promise<AgentBrowserStatus> {
    const settings = this.settings();
    const session = await this.running(agentId);
    const found = settings.chromium.found ? settings.chromium.path : null;
    return {
      enabled: settings.enabled,
      profile: settings.profile,
      running: session !== undefined,
      pid: session?.pid ?? null,
      cdpUrl: settings.cdpUrl ?? null,
      chosenBrowser: settings.cdpUrl ? null : found ? 'chromium' : null,
      detectedExecutablePath: found,
      detectError: settings.cdpUrl || settings.chromium.found ? null : settings.chromium.error,
      userDataDir: session?.mode === 'attach' ? null : this.paths(agentId).userDataDir,
      color: settings.color,
      headless: settings.headless,
      noSandbox: settings.noSandbox,
      executablePath: found,
      attachOnly: settings.attachOnly || settings.cdpUrl !== undefined,
      tabCount: session ? session.tabs.size : 0,
      downloads: session ? [...session.downloads.recent] : [],
    };
  }

  /** Running browsers (for browser.status / browser.tabs), optionally one agent's. */
  async runningSessions(agentId?: string): Promise<BrowserSession[]> {
    const ids = agentId ? [agentId] : [...this.sessions.keys()];
    const sessions = await Promise.all(ids.map((id) => this.running(id)));
    return sessions.filter((s): s is BrowserSession => s !== undefined);
  }

  async tabsOf(session: BrowserSession) {
    return listTabs(session);
  }

  /** Gateway shutdown: every browser closed, killed after a grace period, and none started after. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    const pending = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(pending.map((p) => p.then((s) => s.close(), () => undefined)));
  }
}
