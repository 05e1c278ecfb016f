// Jobs by due time: a binary min-heap with lazy deletion, so changing or dropping one job's time is
// O(log n) and finding the next due job is O(1) however many jobs there are.
interface Slot {
  readonly at: number;
  readonly id: string;
}

export class DueQueue {
  private heap: Slot[] = [];
  private readonly current = new Map<string, number>();

  get size(): number {
    return this.current.size;
  }

  /** Sets (or with undefined, drops) the time a job is due. */
  set(id: string, at: number | undefined): void {
    if (at === undefined) {
      this.current.delete(id);
      return;
    }
    if (this.current.get(id) === at) return;
    this.current.set(id, at);
    this.push({ at, id });
    if (this.heap.length > 2 * this.current.size + 64) this.rebuild();
  }

  get(id: string): number | undefined {
    return this.current.get(id);
  }

  /** The earliest entry still valid. */
  peek(): Slot | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.current.get(top.id) === top.at) return top;
      this.pop();
    }
    return undefined;
  }

  /** Removes and returns every job due at or before `now`, earliest first. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (let top = this.peek(); top && top.at <= now; top = this.peek()) {
      this.pop();
      this.current.delete(top.id);
      due.push(top.id);
    }
    return due;
  }

  private rebuild(): void {
    this.heap = [...this.current].map(([id, at]) => ({ at, id }));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private push(slot: Slot): void {
    const heap = this.heap;
    heap.push(slot);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= slot.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = slot;
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private down(start: number): void {
    const heap = this.heap;
    const slot = heap[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= slot.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = slot;
  }
}
