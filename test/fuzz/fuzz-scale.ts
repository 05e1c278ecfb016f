// How much the fuzzers run: a quick pass in `npm test`, the long one (≥ 100,000 frames) in
// `npm run fuzz`, which CI runs as its own step (OPENCLAW_FUZZ=long).
export const LONG_FUZZ = process.env.OPENCLAW_FUZZ === 'long';

export const runs = (quick: number, long: number): number => (LONG_FUZZ ? long : quick);

/** A test timeout that grows with the run count (about 5 ms a frame on a busy machine). */
export const timeoutFor = (frames: number): number => Math.max(120_000, frames * 5);
