// Downloads land in the agent's downloads folder under a safe name, at most maxBytes each: a
// download in progress is watched and cancelled once its partial file passes the cap, and a finished
// one over the cap is deleted.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Download } from 'playwright-core';
import type { AgentBrowserPaths } from './browser-paths.js';

const WATCH_INTERVAL_MS = 200;
const MAX_RECENT = 20;

export interface DownloadEntry {
  readonly url: string;
  readonly suggestedFilename: string;
  readonly state: 'saved' | 'cancelled' | 'failed';
  readonly path?: string;
  readonly bytes?: number;
  readonly reason?: string;
  readonly at: number;
}

/** A file name safe to create in the downloads folder. */
export function safeDownloadName(suggested: string): string {
  const name = basename(suggested).replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '').slice(0, 120);
  return `${Date.now()}-${name || 'download'}`;
}

function largestPartial(dir: string): number {
  let largest = 0;
  try {
    for (const name of readdirSync(dir)) {
      try {
        largest = Math.max(largest, statSync(join(dir, name)).size);
      } catch {
        // renamed or removed meanwhile
      }
    }
  } catch {
    // no folder yet
  }
  return largest;
}

export class DownloadGuard {
  readonly recent: DownloadEntry[] = [];

  constructor(
    private readonly paths: AgentBrowserPaths,
    private readonly maxBytes: () => number,
  ) {}

  handle(download: Download): void {
    void this.follow(download);
  }

  private record(entry: DownloadEntry): void {
    this.recent.push(entry);
    if (this.recent.length > MAX_RECENT) this.recent.shift();
  }

  private async follow(download: Download): Promise<void> {
    const url = download.url();
    const suggestedFilename = download.suggestedFilename();
    const max = this.maxBytes();
    let overCap = false;
    const watch = setInterval(() => {
      if (largestPartial(this.paths.partialDownloads) > max) {
        overCap = true;
        clearInterval(watch);
        void download.cancel().catch(() => {});
      }
    }, WATCH_INTERVAL_MS);
    watch.unref?.();
    try {
      const partial = await download.path().catch(() => null);
      clearInterval(watch);
      const bytes = partial ? statSync(partial).size : undefined;
      if (overCap || (bytes !== undefined && bytes > max)) {
        this.record({ url, suggestedFilename, state: 'cancelled', reason: `larger than browser.maxDownloadBytes (${max} bytes)`, at: Date.now() });
        return;
      }
      if (!partial) {
        this.record({ url, suggestedFilename, state: 'failed', reason: (await download.failure()) ?? 'the download failed', at: Date.now() });
        return;
      }
      const path = join(this.paths.downloads, safeDownloadName(suggestedFilename));
      await download.saveAs(path);
      this.record({ url, suggestedFilename, state: 'saved', path, ...(bytes === undefined ? {} : { bytes }), at: Date.now() });
    } catch (error) {
      this.record({ url, suggestedFilename, state: 'failed', reason: (error as Error).message.split('\n')[0]!, at: Date.now() });
    } finally {
      clearInterval(watch);
      await download.delete().catch(() => {});
    }
  }
}
