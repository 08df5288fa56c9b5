import type { Container } from "../policy/types.ts";

/** The pending queue in arrival order: O(1) shift for fifo, one compacting pass for backfill. */
export class PendingQueue {
  private items: Container[] = [];
  private first = 0;

  get length(): number {
    return this.items.length - this.first;
  }

  push(c: Container): void {
    this.items.push(c);
  }

  head(): Container | undefined {
    return this.items[this.first];
  }

  shift(): Container | undefined {
    const c = this.items[this.first];
    if (c === undefined) return undefined;
    this.items[this.first++] = undefined as unknown as Container; // let it be collected
    if (this.first > 1024 && this.first * 2 > this.items.length) {
      this.items = this.items.slice(this.first);
      this.first = 0;
    }
    return c;
  }

  /**
   * Puts containers back at their place in trace order (the queue is always in trace order), e.g.
   * those killed by a node failure. `cs` must be sorted by index.
   */
  insertInOrder(cs: readonly Container[]): void {
    const merged: Container[] = [];
    let j = 0;
    for (let i = this.first; i < this.items.length; i++) {
      const c = this.items[i]!;
      while (j < cs.length && cs[j]!.index < c.index) merged.push(cs[j++]!);
      merged.push(c);
    }
    while (j < cs.length) merged.push(cs[j++]!);
    this.items = merged;
    this.first = 0;
  }

  /** Walks the queue in order, keeping the items for which `keep` returns true. */
  retain(keep: (c: Container) => boolean): void {
    const kept: Container[] = [];
    for (let i = this.first; i < this.items.length; i++) {
      const c = this.items[i]!;
      if (keep(c)) kept.push(c);
    }
    this.items = kept;
    this.first = 0;
  }
}
