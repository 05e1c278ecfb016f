// A spinner on stderr for anything that waits: it appears only after a second (a quick answer
// shows none) and only on a terminal; Ctrl-C stays with the command (handleSignals off).
import yoctoSpinner from 'yocto-spinner';
import type { CliOutput } from './cli-output.js';

export interface Progress {
  update(text: string): void;
  /** Removes the spinner (before the result is printed). */
  stop(): void;
}

const SHOW_AFTER_MS = 1_000;

export function startProgress(out: CliOutput, text: string, showAfterMs = SHOW_AFTER_MS): Progress {
  if (!out.interactive) return { update: () => {}, stop: () => {} };
  let label = text;
  let spinner: ReturnType<typeof yoctoSpinner> | undefined;
  const timer = setTimeout(() => {
    spinner = yoctoSpinner({ text: label, stream: process.stderr, handleSignals: false }).start();
  }, showAfterMs);
  timer.unref();
  return {
    update(next) {
      label = next;
      if (spinner) spinner.text = next;
    },
    stop() {
      clearTimeout(timer);
      spinner?.stop();
      spinner = undefined;
    },
  };
}

/** Runs `work` with a spinner that goes away when it settles. */
export async function withProgress<T>(out: CliOutput, text: string, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = startProgress(out, text);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}
