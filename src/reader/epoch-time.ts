/**
 * Dates and datetimes as the dump reader emits them ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS[.f…]')
 * turned into epoch counts: days since 1970-01-01 (int32) and microseconds since
 * 1970-01-01 00:00:00 (int64), the layout of column batches and of DuckDB's DATE and
 * TIMESTAMP, without a string cast in the engine nor a BigInt per value: the
 * 64-bit microsecond count is computed exactly in two 32-bit halves. A 'T' separator and a
 * date without a time are accepted too. Anything else (other layouts, impossible dates) is
 * refused; the appender reports it as a bad value.
 */

const ZERO = 48;

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since the epoch of 'YYYY-MM-DD' (the first 10 characters), or -1e9 when invalid. */
function parseDays(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return INVALID;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return INVALID;
  return daysFromCivil(year, month, day);
}

const INVALID = -1e9;

/** Epoch days (DuckDB DATE) for 'YYYY-MM-DD', or undefined when the text is not such a date. */
export function parseDate(text: string): number | undefined {
  if (text.length !== 10) return undefined;
  const days = parseDays(text);
  return days === INVALID ? undefined : days;
}

const TWO_16 = 65536;
const TWO_32 = 4294967296;

/**
 * Writes the epoch microseconds (DuckDB TIMESTAMP) of `text` as a little-endian int64 at `view[byteOffset]`;
 * false when the text is not a datetime in the accepted layouts.
 */
export function writeTimestamp(view: DataView, byteOffset: number, text: string): boolean {
  const length = text.length;
  if (length !== 10 && (length < 19 || length > 26 || length === 20)) return false;
  const days = parseDays(text);
  if (days === INVALID) return false;
  let seconds = 0;
  let micros = 0;
  if (length > 10) {
    const sep = text.charCodeAt(10);
    if ((sep !== 32 && sep !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
    seconds = hour * 3600 + minute * 60 + second;
    if (length > 19) {
      if (text.charCodeAt(19) !== 46) return false;
      const fraction = digits(text, 20, length - 20);
      if (fraction < 0) return false;
      micros = fraction * 10 ** (26 - length);
    }
  }
  // v = x * 1e6 + micros, with x = days * 86400 + seconds (|x| < 2^38), in exact halves:
  // x = xh * 2^16 + xl;  v = (xh * 1e6) * 2^16 + (xl * 1e6 + micros) = A * 2^16 + B
  const x = days * 86400 + seconds;
  const xh = Math.floor(x / TWO_16);
  const xl = x - xh * TWO_16;
  const a = xh * 1e6;
  const b = xl * 1e6 + micros;
  const ah = Math.floor(a / TWO_16);
  const c = (a - ah * TWO_16) * TWO_16 + b;
  const ch = Math.floor(c / TWO_32);
  view.setUint32(byteOffset, c - ch * TWO_32, true);
  view.setInt32(byteOffset + 4, ah + ch, true);
  return true;
}
