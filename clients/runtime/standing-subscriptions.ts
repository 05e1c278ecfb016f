// The subscriptions a client holds on the gateway (`sessions.subscribe`,
// `sessions.messages.subscribe {key}`, any `x.subscribe`): remembered when the gateway accepts them,
// forgotten on the matching `x.unsubscribe`, and listed for re-issuing on every new socket, since
// the gateway keeps subscriptions per connection only.

export interface StandingSubscription {
  readonly method: string;
  readonly params: unknown;
}

const SUBSCRIBE = '.subscribe';
const UNSUBSCRIBE = '.unsubscribe';

/** `a.b` for `a.b.subscribe` / `a.b.unsubscribe`; undefined for other methods. */
function topicOf(method: string): { topic: string; subscribe: boolean } | undefined {
  if (method.endsWith(SUBSCRIBE)) return { topic: method.slice(0, -SUBSCRIBE.length), subscribe: true };
  if (method.endsWith(UNSUBSCRIBE)) return { topic: method.slice(0, -UNSUBSCRIBE.length), subscribe: false };
  return undefined;
}

const idOf = (topic: string, params: unknown): string => `${topic} ${JSON.stringify(params ?? {})}`;

/** The gateway answers the canonical session key; `main` and `agent:main:main` are one subscription. */
function withAnsweredKey(params: unknown, result: unknown): unknown {
  const key = (result as { key?: unknown } | null)?.key;
  if (typeof key !== 'string' || !params || typeof params !== 'object' || !('key' in params)) return params;
  const answered: Record<string, unknown> = { ...params };
  answered.key = key;
  return answered;
}

/** Told how a tracked call ended: `ok` with its result, or not. */
export type TrackedOutcome = (ok: boolean, result?: unknown) => void;

export class StandingSubscriptions {
  readonly #entries = new Map<string, StandingSubscription>();
  /** The id a subscription was asked for under → the id it is stored under (canonical key). */
  readonly #aliases = new Map<string, string>();
  /** Subscribe calls not answered yet, per asked id; an unsubscribe meanwhile cancels them. */
  readonly #inFlight = new Map<string, Set<{ cancelled: boolean }>>();

  get size(): number {
    return this.#entries.size;
  }

  /** What to re-issue on a new socket, in the order first subscribed. */
  list(): StandingSubscription[] {
    return [...this.#entries.values()];
  }

  /**
   * Call before sending `method`; returns what to do once it ends (undefined when the method is
   * not a subscription call). Unsubscribes forget at once, before the answer.
   */
  track(method: string, params: unknown): TrackedOutcome | undefined {
    const kind = topicOf(method);
    if (!kind) return undefined;
    const asked = idOf(kind.topic, params);
    if (!kind.subscribe) {
      this.#forget(asked);
      return (ok, result) => {
        if (ok) this.#forget(idOf(kind.topic, withAnsweredKey(params, result)));
      };
    }
    const token = { cancelled: false };
    let pending = this.#inFlight.get(asked);
    if (!pending) this.#inFlight.set(asked, (pending = new Set()));
    pending.add(token);
    return (ok, result) => {
      pending.delete(token);
      if (pending.size === 0 && this.#inFlight.get(asked) === pending) this.#inFlight.delete(asked);
      if (!ok || token.cancelled) return;
      const stored = withAnsweredKey(params, result);
      const id = idOf(kind.topic, stored);
      if (!this.#entries.has(id)) this.#entries.set(id, { method, params: stored });
      if (id !== asked) this.#aliases.set(asked, id);
    };
  }

  #forget(id: string): void {
    const ids = new Set([id]);
    const target = this.#aliases.get(id);
    if (target !== undefined) ids.add(target);
    for (const [alias, stored] of this.#aliases) if (ids.has(stored)) ids.add(alias);
    for (const each of ids) {
      this.#entries.delete(each);
      this.#aliases.delete(each);
      for (const token of this.#inFlight.get(each) ?? []) token.cancelled = true;
    }
  }
}
