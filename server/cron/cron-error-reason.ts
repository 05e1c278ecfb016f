// Why a run failed, in upstream's `lastErrorReason` words, from the agent error's codes and text.
import type { CronErrorReason } from './cron-run-types.js';

export function errorReasonOf(detailCode: string | undefined, errorKind: string | undefined, message: string): CronErrorReason {
  if (detailCode === 'MODEL_NOT_FOUND' || /model .*not found|unknown model/i.test(message)) return 'model_not_found';
  if (errorKind === 'timeout' || /time(d)? ?out/i.test(message)) return 'timeout';
  if (errorKind === 'rate_limit' || /rate.?limit|429/i.test(message)) return 'rate_limit';
  if (/\b401\b|\b403\b|unauthori[sz]ed|api key|authentication/i.test(message)) return 'auth';
  if (/billing|quota|\b402\b|insufficient (credit|funds)/i.test(message)) return 'billing';
  if (/invalid request|malformed|format|\b400\b/i.test(message)) return 'format';
  return 'unknown';
}
