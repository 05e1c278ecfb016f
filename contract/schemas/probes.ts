// Unauthenticated probe bodies (docs/http.md "Probes and other routes"), sent with `Cache-Control: no-store`.
import { z } from 'zod';
import { Count } from './common.js';

/** GET /health, /healthz: the process is up. */
export const LiveProbe = z.object({ ok: z.literal(true), status: z.literal('live') });

/**
 * GET /ready, /readyz: 200 when ready, 503 otherwise. Local or authenticated callers also get the
 * failing checks and uptime; others only `ready`.
 */
export const ReadyProbe = z.object({
  ready: z.boolean(),
  failing: z.array(z.string()).optional(),
  uptimeMs: Count.optional(),
});
