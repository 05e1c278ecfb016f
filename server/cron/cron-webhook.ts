// Webhook delivery: a JSON POST with a time limit per attempt and a bounded number of attempts
// (network errors, 429 and 5xx are retried with a growing pause; other answers are final).
export interface WebhookOptions {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  /** Sent as `Authorization: Bearer <token>` (`cron.webhookToken`). */
  readonly token?: string;
  readonly signal?: AbortSignal;
}

export interface WebhookResult {
  readonly ok: boolean;
  readonly attempts: number;
  readonly status?: number;
  readonly error?: string;
}

const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function postWebhook(url: string, body: unknown, options: WebhookOptions): Promise<WebhookResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'openclaw-gateway-cron' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = JSON.stringify(body);
  let last: WebhookResult = { ok: false, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (options.signal?.aborted) return { ok: false, attempts: attempt - 1, error: 'cancelled: the gateway is stopping' };
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    try {
      const response = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.any(signals), redirect: 'error' });
      await response.body?.cancel().catch(() => {});
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      last = { ok: false, attempts: attempt, status: response.status, error: `webhook answered HTTP ${response.status}` };
      if (!retryable(response.status)) return last;
    } catch (error) {
      const name = (error as Error).name;
      const reason = name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
      last = { ok: false, attempts: attempt, error: `webhook failed: ${reason}` };
    }
    if (attempt < options.maxAttempts) await pause(options.backoffMs * attempt, options.signal);
  }
  return last;
}
