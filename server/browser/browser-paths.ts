// Where one agent's browser keeps things in the state dir: the managed profile (cookies, storage),
// screenshots and PDFs it took, downloads, and files staged for upload.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface AgentBrowserPaths {
  readonly root: string;
  readonly userDataDir: string;
  readonly screenshots: string;
  readonly pdfs: string;
  readonly downloads: string;
  /** Downloads in progress (Chromium's own names), moved to `downloads` when complete. */
  readonly partialDownloads: string;
  readonly uploads: string;
}

/** The folders of `agentId`'s browser under `<stateDir>/browser/<agentId>/`. */
export function agentBrowserPaths(stateDir: string, agentId: string): AgentBrowserPaths {
  const root = join(stateDir, 'browser', agentId);
  return {
    root,
    userDataDir: join(root, 'user-data'),
    screenshots: join(root, 'screenshots'),
    pdfs: join(root, 'pdf'),
    downloads: join(root, 'downloads'),
    partialDownloads: join(root, 'downloads', '.partial'),
    uploads: join(root, 'uploads'),
  };
}

/** Creates the folders (owner-only: a profile holds cookies). */
export function ensureAgentBrowserPaths(paths: AgentBrowserPaths): void {
  for (const dir of [paths.userDataDir, paths.screenshots, paths.pdfs, paths.partialDownloads, paths.uploads]) mkdirSync(dir, { recursive: true, mode: 0o700 });
}
