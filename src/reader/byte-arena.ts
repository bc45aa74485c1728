/**
 * Where the reader copies byte values when text is kept as bytes (`textAsBytes`): values of
 * one batch are packed into a few large ArrayBuffers instead of one small buffer each, so that
 * a batch can be handed to another thread by transferring those buffers (no copy, no clone of
 * thousands of small arrays). Each value is a Uint8Array view into a block; `take()` ends the
 * batch and returns its blocks.
 */
const FIRST_BLOCK = 64 << 10;
const MAX_BLOCK = 4 << 20;

export class ByteArena {
  private block: Uint8Array<ArrayBuffer> | null = null;
  private used = 0;
  private nextSize = FIRST_BLOCK;
  private blocks: ArrayBuffer[] = [];

  /** A view of a copy of `buf[a..b)`. */
  copy(buf: Uint8Array, a: number, b: number): Uint8Array<ArrayBuffer> {
    const n = b - a;
    let block = this.block;
    if (block === null || this.used + n > block.length) block = this.grow(n);
    const at = this.used;
    if (n < 48) for (let i = 0; i < n; i++) block[at + i] = buf[a + i]!;
    else block.set(buf.subarray(a, b), at);
    this.used = at + n;
    return new Uint8Array(block.buffer, at, n);
  }

  /** Ends the batch: the blocks its values view (the next value starts a new block). */
  take(): ArrayBuffer[] {
    const taken = this.blocks;
    this.blocks = [];
    this.block = null;
    this.nextSize = FIRST_BLOCK;
    return taken;
  }

  private grow(n: number): Uint8Array<ArrayBuffer> {
    const size = Math.max(n, this.nextSize);
    this.nextSize = Math.min(this.nextSize * 2, MAX_BLOCK);
    const block = new Uint8Array(size);
    this.blocks.push(block.buffer);
    this.block = block;
    this.used = 0;
    return block;
  }
}
