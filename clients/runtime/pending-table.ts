// Calls waiting for an answer, keyed by request id: each settles exactly once — answered, failed,
// timed out or aborted — and its timer and abort listener are released when it does. Shared by the
// SDKs (calls to the gateway) and the gateway (calls to a connected client, e.g. node.invoke). No
// Node or DOM specifics: it runs in browsers too.

interface Entry<M> {
  readonly meta: M;
  /** Releases the timer and abort listener, then settles the call's promise (`ok` false: rejects with `value`). */
  end(ok: boolean, value: unknown): void;
}

export class PendingTable<T = unknown, M = undefined> {
  readonly #entries = new Map<string, Entry<M>>();

  /** The meta of a pending call; undefined when `id` is not pending (settled, or never asked). */
  meta(id: string): M | undefined {
    return this.#entries.get(id)?.meta;
  }

  /**
   * Registers `id` with its meta and returns the promise its answer settles: failed with
   * `onTimeout(meta)` after `timeoutMs` (none when undefined), with `onAbort(meta)` when `signal`
   * fires. Ids must be unique among the pending calls: a caller that takes ids from outside checks
   * `meta(id)` first.
   */
  add(id: string, meta: M, timeoutMs: number | undefined, onTimeout: (meta: M) => Error, signal: AbortSignal | undefined, onAbort: (meta: M) => Error): Promise<T> {
    if (signal?.aborted) return Promise.reject(onAbort(meta));
    return new Promise<T>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.fail(id, onTimeout(meta)), timeoutMs);
      const abort = (): void => void this.fail(id, onAbort(meta));
      signal?.addEventListener('abort', abort);
      this.#entries.set(id, {
        meta,
        end: (ok, value) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', abort);
          if (ok) resolve(value as T);
          else reject(value);
        },
      });
    });
  }

  /** Answers `id`; false when it is not pending (already settled, or never asked). */
  settle(id: string, value: T): boolean {
    return this.#end(id, true, value);
  }

  fail(id: string, error: Error): boolean {
    return this.#end(id, false, error);
  }

  /** Visits every pending call, oldest first (a snapshot: `visit` may settle calls). */
  forEach(visit: (meta: M, id: string) => void): void {
    for (const [id, entry] of [...this.#entries]) visit(entry.meta, id);
  }

  /** Fails every pending call whose meta matches (all when no predicate). */
  failWhere(error: (meta: M, id: string) => Error, predicate?: (meta: M, id: string) => boolean): void {
    this.forEach((meta, id) => (!predicate || predicate(meta, id)) && this.fail(id, error(meta, id)));
  }

  #end(id: string, ok: boolean, value: unknown): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    entry.end(ok, value);
    return true;
  }
}
