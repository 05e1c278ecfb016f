// Named listener sets with a wildcard; a throwing listener is reported, never swallowed, and never
// stops the other listeners.

type AnyListener = (payload: never, name: string) => void;

export class EventChannels {
  readonly #channels = new Map<string, Set<AnyListener>>();
  readonly #report: (error: unknown, name: string) => void;

  constructor(report: (error: unknown, name: string) => void) {
    this.#report = report;
  }

  on(name: string, listener: AnyListener): () => void {
    let set = this.#channels.get(name);
    if (!set) this.#channels.set(name, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  has(name: string): boolean {
    return (this.#channels.get(name)?.size ?? 0) > 0;
  }

  emit(name: string, payload: unknown, wildcard = false): void {
    this.#deliver(name, name, payload);
    if (wildcard) this.#deliver('*', name, payload);
  }

  #deliver(channel: string, name: string, payload: unknown): void {
    const set = this.#channels.get(channel);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: unknown, name: string) => void)(payload, name);
      } catch (error) {
        this.#report(error, name);
      }
    }
  }
}
