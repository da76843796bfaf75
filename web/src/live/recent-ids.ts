/**
 * The ids of the last few hundred events seen, to drop repeats: events are
 * delivered at least once (a replay after reconnecting may resend one).
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly order: string[] = [];

  constructor(private readonly capacity = 500) {}

  /** Records an id; false when it was already seen. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    this.order.push(id);
    if (this.order.length > this.capacity) this.ids.delete(this.order.shift() as string);
    return true;
  }

  clear(): void {
    this.ids.clear();
    this.order.length = 0;
  }
}
