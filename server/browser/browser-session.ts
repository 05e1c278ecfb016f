// One agent's browser: a Chromium launched with the agent's profile from the state dir (managed),
// or a context of its own in the Chromium at browser.cdpUrl (attach). All its traffic goes through
// the agent's guard proxy. It owns the tabs, closes itself when idle, and is killed, helpers and
// all, when it will not close.
import type { Browser, BrowserContext, BrowserType, Page } from 'playwright-core';
import { BrowserError } from './browser-error.js';
import { ensureAgentBrowserPaths, type AgentBrowserPaths } from './browser-paths.js';
import type { BrowserSettings } from './browser-settings.js';
import { BrowserTab } from './browser-tab.js';
import { chromiumLaunchArgs } from './chromium-executable.js';
import { DownloadGuard } from './download-guard.js';
import { GuardProxy } from './guard-proxy.js';
import { launchError } from './launch-failure.js';
import { findBrowserProcess, killProcessGroup } from './process-tree.js';

const VIEWPORT = { width: 1280, height: 800 };
/** How long a graceful close may take before the process group is killed. */
const CLOSE_GRACE_MS = 5000;

export interface SessionOptions {
  readonly agentId: string;
  readonly paths: AgentBrowserPaths;
  readonly settings: () => BrowserSettings;
  /** Called once when the browser is gone (closed, killed, crashed or disconnected). */
  onGone(session: BrowserSession): void;
}

export class BrowserSession {
  readonly tabs = new Map<string, BrowserTab>();
  readonly downloads: DownloadGuard;
  readonly startedAt = Date.now();
  lastUsedAt = Date.now();
  activeId: string | undefined;
  private nextTab = 1;
  /** The blank tab Chromium starts with, used by the first `open` instead of a second tab. */
  private pristine: BrowserTab | undefined;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private gone = false;
  /** Popups refused because the tab limit was reached. */
  refusedPopups = 0;

  private constructor(
    readonly options: SessionOptions,
    readonly mode: 'managed' | 'attach',
    readonly profile: string,
    private readonly context: BrowserContext,
    private readonly browser: Browser | undefined,
    readonly proxy: GuardProxy,
    readonly pid: number | undefined,
  ) {
    this.downloads = new DownloadGuard(options.paths, () => options.settings().maxDownloadBytes);
    for (const page of context.pages()) this.adopt(page);
    const first = [...this.tabs.values()][0];
    if (this.tabs.size === 1 && first?.page.url() === 'about:blank') this.pristine = first;
    context.on('page', (page) => this.onPage(page));
    context.on('close', () => this.markGone());
    browser?.on('disconnected', () => this.markGone());
    this.armIdle();
  }

  /** Launches (managed) or attaches; BrowserError unavailable / launch_failed on failure. */
  static async start(options: SessionOptions): Promise<BrowserSession> {
    const settings = options.settings();
    // Playwright is large: it is loaded when the first browser starts, not with the gateway.
    const { chromium } = await import('playwright-core');
    const proxy = new GuardProxy(() => options.settings().navigation);
    const proxyUrl = await proxy.start();
    try {
      if (settings.cdpUrl) return await BrowserSession.attach(chromium, options, settings, proxy, proxyUrl);
      if (settings.attachOnly) throw new BrowserError('unavailable', 'browser.attachOnly is set but browser.cdpUrl is not; set browser.cdpUrl to the Chromium to attach to');
      if (!settings.chromium.found) throw new BrowserError('unavailable', settings.chromium.error);
      ensureAgentBrowserPaths(options.paths);
      const executablePath = settings.chromium.path;
      let context: BrowserContext;
      try {
        context = await chromium.launchPersistentContext(options.paths.userDataDir, {
          executablePath,
          headless: settings.headless,
          args: chromiumLaunchArgs({ noSandbox: settings.noSandbox, gpu: settings.gpu, extra: settings.extraArgs }),
          proxy: { server: proxyUrl },
          timeout: settings.launchTimeoutMs,
          viewport: VIEWPORT,
          acceptDownloads: true,
          downloadsPath: options.paths.partialDownloads,
          // The gateway decides when the browser goes: its shutdown kills it.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        });
      } catch (error) {
        // A Chromium that died during start-up leaves its profile lock behind; nothing else to undo.
        const pid = findBrowserProcess(options.paths.userDataDir);
        if (pid !== undefined) killProcessGroup(pid);
        throw launchError(error, executablePath, settings.launchTimeoutMs);
      }
      const pid = findBrowserProcess(options.paths.userDataDir);
      return new BrowserSession(options, 'managed', settings.profile, context, undefined, proxy, pid);
    } catch (error) {
      await proxy.close();
      throw error;
    }
  }

  private static async attach(
    chromium: BrowserType,
    options: SessionOptions,
    settings: BrowserSettings,
    proxy: GuardProxy,
    proxyUrl: string,
  ): Promise<BrowserSession> {
    const cdpUrl = settings.cdpUrl!;
    let browser: Browser;
    try {
      browser = await chromium.connectOverCDP(cdpUrl, { timeout: settings.attachTimeoutMs });
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0]!.replace(/^browserType\.connectOverCDP: /, '');
      throw new BrowserError('unavailable', `cannot attach to the Chromium at browser.cdpUrl ${cdpUrl} (${reason}); start it with --remote-debugging-port or fix browser.cdpUrl`, { cause: error });
    }
    ensureAgentBrowserPaths(options.paths);
    // A context of the agent's own, so its traffic goes through the guard and its cookies stay apart.
    const context = await browser.newContext({ proxy: { server: proxyUrl }, viewport: VIEWPORT, acceptDownloads: true });
    return new BrowserSession(options, 'attach', settings.profile, context, browser, proxy, undefined);
  }

  get running(): boolean {
    return !this.gone;
  }

  /** Runs one action: keeps the browser from closing as idle while it runs. */
  async use<T>(action: () => Promise<T>): Promise<T> {
    if (this.gone) throw new BrowserError('unavailable', 'the browser has closed; call the action again to start a new one');
    this.inFlight++;
    clearTimeout(this.idleTimer);
    try {
      return await action();
    } finally {
      this.inFlight--;
      this.lastUsedAt = Date.now();
      this.armIdle();
    }
  }

  /** The tab `targetId` names, or the active one. */
  tab(targetId: string | undefined): BrowserTab {
    this.pruneClosed();
    const id = targetId ?? this.activeId;
    const tab = id === undefined ? undefined : this.tabs.get(id);
    if (tab) return tab;
    if (targetId !== undefined) throw new BrowserError('tab_not_found', `no tab ${targetId}; action=tabs lists the open tabs`);
    throw new BrowserError('tab_not_found', 'no tab is open; use action=open with a targetUrl');
  }

  /** Opens a new tab (counted against browser.maxTabs). */
  async newTab(): Promise<BrowserTab> {
    this.pruneClosed();
    const pristine = this.pristine;
    this.pristine = undefined;
    if (pristine && !pristine.closed && pristine.page.url() === 'about:blank') {
      this.activeId = pristine.targetId;
      return pristine;
    }
    const max = this.options.settings().maxTabs;
    if (this.tabs.size >= max) throw new BrowserError('tab_limit', `${this.tabs.size} tabs are open (browser.maxTabs ${max}); close one with action=close first`);
    const page = await this.context.newPage();
    const tab = this.find(page) ?? this.adopt(page);
    this.activeId = tab.targetId;
    return tab;
  }

  focus(tab: BrowserTab): void {
    this.activeId = tab.targetId;
  }

  async closeTab(tab: BrowserTab): Promise<void> {
    await tab.page.close().catch(() => {});
    this.forget(tab);
  }

  /** Closes the browser (or, attached, our context and connection): gracefully, then by force. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.idleTimer);
      const graceful = (async () => {
        await this.context.close().catch(() => {});
        await this.browser?.close().catch(() => {});
      })();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_GRACE_MS)));
      const outcome = await Promise.race([graceful.then(() => 'closed' as const), late]);
      clearTimeout(timer);
      // Killed either way: a Chromium that closed its pipe may still have helpers finishing.
      if (this.pid !== undefined) killProcessGroup(this.pid);
      if (outcome === 'late') graceful.catch(() => {});
      await this.proxy.close();
      this.markGone();
    })();
    return this.closing;
  }

  /** Kills at once (process exit paths that cannot wait). */
  kill(): void {
    if (this.pid !== undefined) killProcessGroup(this.pid);
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    const idle = this.options.settings().idleTimeoutMs;
    if (idle <= 0 || this.inFlight > 0 || this.gone) return;
    this.idleTimer = setTimeout(() => void this.close(), idle);
    this.idleTimer.unref?.();
  }

  private markGone(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.idleTimer);
    this.options.onGone(this);
    void this.close();
  }

  private find(page: Page): BrowserTab | undefined {
    for (const tab of this.tabs.values()) if (tab.page === page) return tab;
    return undefined;
  }

  private adopt(page: Page): BrowserTab {
    const tab = new BrowserTab(`t${this.nextTab++}`, page);
    this.tabs.set(tab.targetId, tab);
    page.on('download', (download) => this.downloads.handle(download));
    page.once('close', () => this.forget(tab));
    this.activeId ??= tab.targetId;
    return tab;
  }

  /** A page the site opened (a popup or target=_blank): adopted unless the tab limit is reached. */
  private onPage(page: Page): void {
    if (this.find(page)) return;
    this.pruneClosed();
    if (this.tabs.size >= this.options.settings().maxTabs) {
      this.refusedPopups++;
      void page.close().catch(() => {});
      return;
    }
    this.adopt(page);
  }

  private forget(tab: BrowserTab): void {
    if (this.tabs.get(tab.targetId) !== tab) return;
    this.tabs.delete(tab.targetId);
    if (this.activeId === tab.targetId) this.activeId = [...this.tabs.keys()].pop();
  }

  private pruneClosed(): void {
    for (const tab of [...this.tabs.values()]) if (tab.closed) this.forget(tab);
  }
}
