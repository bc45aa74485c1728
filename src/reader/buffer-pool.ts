/**
 * ArrayBuffers for column batches, used again once their consumer hands them back (the loader
 * returns each batch's buffers to the reader's worker after appending it). Fresh buffers cost
 * more than their size suggests: zeroed pages, page faults, and garbage collections V8 starts
 * on fast-growing external memory; a load of 1 GB would allocate well over 1 GB of them.
 */
const KEEP_BYTES = 64 << 20;

export class BufferPool {
  private free: ArrayBuffer[] = [];
  private kept = 0;

  /** A buffer of at least `size` bytes (a multiple of 8), contents unspecified. */
  take(size: number): ArrayBuffer {
    const want = Math.ceil(Math.max(size, 8) / 8) * 8;
    const free = this.free;
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const length = free[i]!.byteLength;
      // not much larger than needed: a small array must not pin a large buffer
      if (length >= want && length <= 2 * want + (64 << 10) && (best < 0 || length < free[best]!.byteLength))
        best = i;
    }
    if (best < 0) return new ArrayBuffer(want);
    const buffer = free[best]!;
    free[best] = free[free.length - 1]!;
    free.pop();
    this.kept -= buffer.byteLength;
    return buffer;
  }

  /** Gives buffers back (detached ones, and any beyond the pool's size, are dropped). */
  give(buffers: Iterable<ArrayBuffer>): void {
    for (const buffer of buffers) {
      const length = buffer.byteLength;
      if (length === 0 || length % 8 !== 0 || this.kept + length > KEEP_BYTES) continue;
      this.free.push(buffer);
      this.kept += length;
    }
  }
}
