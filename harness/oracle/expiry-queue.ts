/**
 * Entries in the order they were stored, each with where it was stored (a home object and a small slot
 * number): what the oracle state expires its cache entries from (state.ts). A ring of three parallel
 * arrays that doubles when full: a write costs three stores and no object, and a long-running state
 * stops allocating for it once the ring holds its live entries. A queue that grew by `push` instead
 * copied its backing stores as they grew, and the young-generation GC copied them again.
 */
export class ExpiryQueue<E, H> {
  private entries: (E | undefined)[];
  private homes: (H | undefined)[];
  /** Slot numbers: a typed array, which the GC does not scan. */
  private slots: Uint8Array;
  private head = 0;
  private count = 0;

  /** `capacity`: a power of two. */
  constructor(capacity = 64) {
    this.entries = new Array<E | undefined>(capacity).fill(undefined);
    this.homes = new Array<H | undefined>(capacity).fill(undefined);
    this.slots = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Queue `entry`, stored in slot `slot` (0–255) of `home`. */
  push(entry: E, home: H, slot: number): void {
    if (this.count === this.entries.length) this.grow();
    const at = (this.head + this.count) & (this.entries.length - 1);
    this.entries[at] = entry;
    this.homes[at] = home;
    this.slots[at] = slot;
    this.count++;
  }

  /** The oldest entry queued (undefined when empty); `oldestHome`/`oldestSlot` say where it was stored. */
  oldest(): E | undefined {
    return this.count === 0 ? undefined : this.entries[this.head];
  }

  oldestHome(): H {
    return this.homes[this.head]!;
  }

  oldestSlot(): number {
    return this.slots[this.head]!;
  }

  /** Drop the oldest entry (the queue must not be empty). */
  shift(): void {
    // Cleared, so the ring does not keep dropped entries alive.
    this.entries[this.head] = undefined;
    this.homes[this.head] = undefined;
    this.head = (this.head + 1) & (this.entries.length - 1);
    this.count--;
  }

  /**
   * A new queue of the entries for which `keep` names a home (that one, which may be another object:
   * a cloned state's own), in the same order; the others are left out.
   */
  filtered(keep: (entry: E, home: H, slot: number) => H | undefined): ExpiryQueue<E, H> {
    let capacity = 64;
    while (capacity < this.count) capacity *= 2;
    return this.copyInto(new ExpiryQueue<E, H>(capacity), keep);
  }

  /** `out` after pushing, oldest first, the entries for which `keep` names a home. */
  private copyInto(out: ExpiryQueue<E, H>, keep: (entry: E, home: H, slot: number) => H | undefined): ExpiryQueue<E, H> {
    const mask = this.entries.length - 1;
    for (let k = 0; k < this.count; k++) {
      const at = (this.head + k) & mask;
      const slot = this.slots[at]!;
      const home = keep(this.entries[at]!, this.homes[at]!, slot);
      if (home !== undefined) out.push(this.entries[at]!, home, slot);
    }
    return out;
  }

  /** Double the ring, its entries moved to the front in order (rare: the callback costs nothing here). */
  private grow(): void {
    const bigger = this.copyInto(new ExpiryQueue<E, H>(2 * this.entries.length), keepHome);
    this.entries = bigger.entries;
    this.homes = bigger.homes;
    this.slots = bigger.slots;
    this.head = 0;
  }
}

function keepHome<E, H>(_entry: E, home: H): H {
  return home;
}
