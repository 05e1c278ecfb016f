// Where Chromium is: `browser.executablePath` when configured, else the first known install path
// that exists. The one place that decides it (the browser tool, the UI tests and the benchmark use it).
import { isExecutableFile } from '../system/executable-file.js';

/** Install paths tried in order (Debian/Ubuntu packages, snaps, Google Chrome, macOS apps). */
export const KNOWN_CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const CHROMIUM_INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set browser.executablePath to a Chromium or Chrome binary';

export type ChromiumLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly error: string };

const executable = isExecutableFile;

/** Finds the Chromium to launch; a configured path that is not an executable file is an error, not a fallback. */
export function findChromium(configuredPath?: string, candidates: readonly string[] = KNOWN_CHROMIUM_PATHS): ChromiumLookup {
  if (configuredPath) {
    return executable(configuredPath)
      ? { found: true, path: configuredPath }
      : { found: false, error: `browser.executablePath ${configuredPath} is not an executable file; ${CHROMIUM_INSTALL_HINT}` };
  }
  const path = candidates.find(executable);
  return path ? { found: true, path } : { found: false, error: `no Chromium found at ${candidates.slice(0, 4).join(', ')}…; ${CHROMIUM_INSTALL_HINT}` };
}

/**
 * Chromium flags that work on a headless server with a closed network: no sandbox as root, no GPU,
 * and none of the background connections (component updates, sync, QUIC probes) that such a
 * network refuses.
 */
export function chromiumLaunchArgs(options: { readonly noSandbox: boolean; readonly gpu: boolean; readonly extra?: readonly string[] }): string[] {
  const args = ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (options.noSandbox) args.push('--no-sandbox');
  if (!options.gpu) args.push('--disable-gpu');
  if (options.extra) args.push(...options.extra);
  return args;
}
