// How numbers, times and errors read in the UI.
import { isGatewayError } from '../../../clients/runtime/gateway-error.js';

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatAgo(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.round((now - ms) / 1000);
  if (s < -5) return `in ${formatDuration(-s * 1000)}`;
  if (s < 45) return 'just now';
  return `${formatDuration(s * 1000)} ago`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

export function formatTokens(n: number | undefined): string {
  if (n === undefined) return '—';
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toLocaleString();
}

export function formatUsd(n: number | undefined): string {
  if (n === undefined) return '—';
  if (n === 0) return '$0';
  return n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line for a failed call: the gateway's message and its detail code. */
export function describeError(error: unknown): string {
  if (isGatewayError(error)) {
    const code = error.detailCode ?? error.code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The method is not built on this gateway (planned, answered UNAVAILABLE / NOT_IMPLEMENTED). */
export function isNotImplemented(error: unknown): boolean {
  return isGatewayError(error) && (error.detailCode === 'NOT_IMPLEMENTED' || error.code === 'NOT_IMPLEMENTED');
}
