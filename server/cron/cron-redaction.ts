// Webhook URLs often carry their secret in the path or query (Slack, Discord): clients without
// operator.admin see only the URL's origin. Admins (who set them) see them whole.
import type { CronJob } from '../../contract/schemas/cron-job.js';

function originOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

/** The job as a reader may see it (a copy when anything had to be hidden). */
export function jobForReader(job: CronJob): CronJob {
  const delivery = job.delivery;
  const failure = delivery?.failureDestination;
  const alert = job.failureAlert;
  const hideDelivery = delivery?.mode === 'webhook';
  const hideFailure = failure?.mode === 'webhook';
  const hideAlert = alert !== undefined && alert !== false && alert.mode === 'webhook';
  if (!hideDelivery && !hideFailure && !hideAlert) return job;
  const copy: CronJob = { ...job };
  if (delivery && (hideDelivery || hideFailure)) {
    const shown = { ...delivery } as NonNullable<CronJob['delivery']>;
    if (hideDelivery) shown.to = originOnly(shown.to)!;
    if (failure && hideFailure) shown.failureDestination = { ...failure, to: originOnly(failure.to)! };
    copy.delivery = shown;
  }
  if (hideAlert && alert) copy.failureAlert = { ...alert, to: originOnly(alert.to)! };
  return copy;
}
