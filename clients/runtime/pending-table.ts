// Calls waiting for an answer, keyed by request id: each settles exactly once — answered, failed,
// timed out or aborted — and its timer and abort listener are released when it does. Shared by the
// SDKs (calls to the gateway) and the gateway (calls to a connected client, e.g. node.invoke). No
// Node or DOM specifics: it runs in browsers too.

export interface PendingOptions<M> {
  /** Kept with the entry (method name, target connection…), readable by `forEach` and the error builders. */
  readonly meta: M;
  /** Fails the call with `onTimeout(meta)` after this many ms (none when undefined). */
  readonly timeoutMs?: number;
  readonly onTimeout?: (meta: M) => Error;
  /** Fails the call with `onAbort(meta)` when it fires. */
  readonly signal?: AbortSignal;
  readonly onAbort?: (meta: M) => Error;
}

interface Entry<T, M> {
  readonly meta: M;
  resolve(value: T): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  release: (() => void) | undefined;
}

export class PendingTable<T = unknown, M = undefined> {
  readonly #entries = new Map<string, Entry<T, M>>();

  get size(): number {
    return this.#entries.size;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  meta(id: string): M | undefined {
    return this.#entries.get(id)?.meta;
  }

  /** Registers `id` and returns the promise its answer settles. An id still pending is a programming error. */
  add(id: string, options: PendingOptions<M>): Promise<T> {
    if (this.#entries.has(id)) return Promise.reject(new Error(`request id ${id} is already pending`));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(options.onAbort?.(options.meta) ?? new Error('aborted'));
    return new Promise<T>((resolve, reject) => {
      const entry: Entry<T, M> = { meta: options.meta, resolve, reject, timer: undefined, release: undefined };
      if (options.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => this.fail(id, options.onTimeout?.(options.meta) ?? new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
      }
      if (signal) {
        const onAbort = (): void => void this.fail(id, options.onAbort?.(options.meta) ?? new Error('aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        entry.release = () => signal.removeEventListener('abort', onAbort);
      }
      this.#entries.set(id, entry);
    });
  }

  /** Answers `id`; false when it is not pending (already settled, or never asked). */
  settle(id: string, value: T): boolean {
    const entry = this.#take(id);
    if (!entry) return false;
    entry.resolve(value);
    return true;
  }

  fail(id: string, error: Error): boolean {
    const entry = this.#take(id);
    if (!entry) return false;
    entry.reject(error);
    return true;
  }

  /** Fails every pending call whose meta matches (all when no predicate). Returns how many failed. */
  failWhere(error: (meta: M, id: string) => Error, predicate?: (meta: M, id: string) => boolean): number {
    let failed = 0;
    for (const [id, entry] of [...this.#entries]) {
      if (predicate && !predicate(entry.meta, id)) continue;
      if (this.fail(id, error(entry.meta, id))) failed++;
    }
    return failed;
  }

  #take(id: string): Entry<T, M> | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    clearTimeout(entry.timer);
    entry.release?.();
    return entry;
  }
}
