// IANA time zones: the gateway's own (stored on a job at add time, so a job means the same wall time
// after the host's zone changes) and the check that a zone name exists.
const known = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = known.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    if (known.size < 1024) known.set(zone, valid);
  }
  return valid;
}

/** `TZ` from the gateway's environment when it names a zone, else the zone the process runs in, else UTC. */
export function gatewayTimeZone(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.TZ?.trim();
  if (fromEnv && !fromEnv.startsWith(':') && isValidTimeZone(fromEnv)) return fromEnv;
  const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return resolved && isValidTimeZone(resolved) ? resolved : 'UTC';
}
