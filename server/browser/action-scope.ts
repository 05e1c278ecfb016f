// Every browser action runs under one deadline and the caller's abort signal: Playwright calls get
// both, anything that ignores them is raced against them, and every failure becomes a BrowserError
// that says which limit was hit.
import { BrowserError, isBrowserError } from './browser-error.js';

export interface ActionScope {
  /** Aborted by the caller or when the deadline passes. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly startedAt: number;
  /** The caller's own signal (abort, as opposed to timeout). */
  readonly callerSignal: AbortSignal;
}

export function actionScope(callerSignal: AbortSignal, timeoutMs: number): ActionScope {
  return { signal: AbortSignal.any([callerSignal, AbortSignal.timeout(timeoutMs)]), timeoutMs, startedAt: Date.now(), callerSignal };
}

/** Milliseconds left before the deadline (at least 1, for Playwright's `timeout` options). */
export const remaining = (scope: ActionScope): number => Math.max(1, scope.timeoutMs - (Date.now() - scope.startedAt));

/** Playwright call options for this scope. */
export const pw = (scope: ActionScope): { timeout: number; signal: AbortSignal } => ({ timeout: remaining(scope), signal: scope.signal });

export function browserFailure(error: unknown, scope: ActionScope, what: string): BrowserError {
  if (scope.callerSignal.aborted) return new BrowserError('aborted', `${what} was aborted`, { cause: error });
  if (isBrowserError(error)) return error;
  const name = (error as Error | undefined)?.name;
  if (scope.signal.aborted || name === 'TimeoutError') {
    return new BrowserError('timeout', `${what} did not finish within ${scope.timeoutMs} ms; pass a larger timeoutMs (up to 120000) or check that the page responds`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() && !line.startsWith('Call log')) ?? message;
  return new BrowserError('action_failed', `${what} failed: ${first.replace(/^\w+\.\w+: /, '').replace(/^Error: /, '').slice(0, 500)}`, { cause: error });
}

/** Runs `work` until it settles, the deadline passes or the caller aborts, whichever is first. */
export async function guarded<T>(scope: ActionScope, what: string, work: () => Promise<T>): Promise<T> {
  if (scope.signal.aborted) throw browserFailure(scope.signal.reason, scope, what);
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(browserFailure(scope.signal.reason, scope, what));
    scope.signal.addEventListener('abort', onAbort, { once: true });
  });
  const running = work();
  running.catch(() => {});
  try {
    return await Promise.race([running, stopped]);
  } catch (error) {
    throw browserFailure(error, scope, what);
  } finally {
    scope.signal.removeEventListener('abort', onAbort!);
  }
}

/** Waits `ms`, or less when the scope ends first (then throws). */
export function sleep(scope: ActionScope, ms: number): Promise<void> {
  return guarded(scope, `waiting ${ms} ms`, () => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.()));
}
