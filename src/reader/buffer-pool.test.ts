/** Batch buffers given back are used again, within limits. */
import { describe, expect, it } from "vitest";
import { BufferPool } from "./buffer-pool.js";

describe("buffer pool", () => {
  it("hands back a given buffer for a request of about its size, and a fresh one otherwise", () => {
    const pool = new BufferPool();
    const first = pool.take(1000);
    expect(first.byteLength).toBe(1000);
    pool.give([first]);
    expect(pool.take(900)).toBe(first);
    pool.give([first]);
    const big = pool.take(1 << 20); // far larger than what the pool holds
    expect(big).not.toBe(first);
    expect(big.byteLength).toBe(1 << 20);
    pool.give([big]);
    expect(pool.take(16)).toBe(first); // the small one, not the 1 MiB one
  });

  it("drops detached buffers and keeps at most 64 MiB", () => {
    const pool = new BufferPool();
    const moved = new ArrayBuffer(64);
    structuredClone(moved, { transfer: [moved] });
    pool.give([moved]);
    const kept = Array.from({ length: 5 }, () => new ArrayBuffer(16 << 20));
    pool.give(kept);
    const taken = new Set(Array.from({ length: 5 }, () => pool.take(16 << 20)));
    expect(kept.filter((b) => taken.has(b))).toHaveLength(4);
  });
});
