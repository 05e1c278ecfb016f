// Failures of the browser tool, each with a code the model and operators can act on; the message
// says what to do next.
export type BrowserErrorCode =
  /** No Chromium on this machine (or the attach target is unreachable). */
  | 'unavailable'
  /** Chromium was found but did not start: its stderr and exit code are in the message. */
  | 'launch_failed'
  /** The URL's scheme or host is refused by the navigation guard. */
  | 'navigation_blocked'
  | 'timeout'
  | 'aborted'
  /** No tab with that targetId, or no tab open at all. */
  | 'tab_not_found'
  /** A ref that the latest snapshot of the tab does not have. */
  | 'ref_not_found'
  | 'tab_limit'
  | 'browser_limit'
  /** The arguments do not fit the action (a missing url, ref or request). */
  | 'invalid_request'
  /** The page or browser refused the action (an element not visible, a closed page). */
  | 'action_failed';

export class BrowserError extends Error {
  constructor(
    readonly code: BrowserErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrowserError';
  }
}

export const isBrowserError = (error: unknown): error is BrowserError => error instanceof BrowserError;
