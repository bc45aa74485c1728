/**
 * `buf.toString("utf8" | "latin1", a, b)` without the argument checks and encoding lookup of
 * Buffer.prototype.toString, which cost more than the decoding itself for short values. Uses
 * Node's long-standing `utf8Slice` / `latin1Slice` Buffer methods when present.
 */
interface SliceMethods {
  utf8Slice?(start: number, end: number): string;
  latin1Slice?(start: number, end: number): string;
}

const proto = Buffer.prototype as unknown as SliceMethods;
const fast = typeof proto.utf8Slice === "function" && typeof proto.latin1Slice === "function";

export const byteSlices = {
  /** UTF-8 text of buf[a..b). */
  utf8: fast
    ? (buf: Buffer, a: number, b: number): string =>
        (buf as unknown as Required<SliceMethods>).utf8Slice(a, b)
    : (buf: Buffer, a: number, b: number): string => buf.toString("utf8", a, b),
  /** One char per byte (ASCII digits, dates): buf[a..b). */
  latin1: fast
    ? (buf: Buffer, a: number, b: number): string =>
        (buf as unknown as Required<SliceMethods>).latin1Slice(a, b)
    : (buf: Buffer, a: number, b: number): string => buf.toString("latin1", a, b),
};
