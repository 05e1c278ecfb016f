/** Counts sockets per address that have not finished the handshake (docs/protocol.md "Limits"). */
export class PreauthBudget {
  private readonly counts = new Map<string, number>();

  constructor(private limit: () => number) {}

  tryAcquire(address: string): boolean {
    const current = this.counts.get(address) ?? 0;
    if (current >= this.limit()) return false;
    this.counts.set(address, current + 1);
    return true;
  }

  release(address: string): void {
    const current = this.counts.get(address) ?? 0;
    if (current <= 1) this.counts.delete(address);
    else this.counts.set(address, current - 1);
  }

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }
}
