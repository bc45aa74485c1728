/**
 * SQL literals exactly as MySQL 8 mysqldump writes them (mysql_real_escape_string rules):
 * NUL, newline, carriage return, backslash, quotes and Ctrl-Z are escaped; everything else,
 * including 4-byte UTF-8 and raw binary bytes, is written as is.
 */
// The control characters are the point: these are exactly the bytes mysqldump escapes.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\0\n\r\\'"\x1a]/;
// eslint-disable-next-line no-control-regex
const ESCAPE_ALL = /[\0\n\r\\'"\x1a]/g;
const ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\n": "\\n",
  "\r": "\\r",
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "\x1a": "\\Z",
};

export function escapeSqlString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (c) => ESCAPES[c]!) : text;
}

export function sqlString(text: string | null | undefined): string {
  return text === null || text === undefined ? "NULL" : `'${escapeSqlString(text)}'`;
}

export function sqlInt(n: number | null | undefined): string {
  return n === null || n === undefined ? "NULL" : String(n);
}

const BYTE_ESCAPES = new Map<number, number>([
  [0, 0x30], // \0
  [10, 0x6e], // \n
  [13, 0x72], // \r
  [92, 0x5c], // \\
  [39, 0x27], // \'
  [34, 0x22], // \"
  [26, 0x5a], // \Z
]);

/**
 * Binary bytes as mysqldump 8 writes them without --hex-blob: the `_binary` introducer and the
 * raw bytes escaped like a string (raw bytes >= 0x80 stay raw, so a dump is not valid UTF-8).
 */
export function sqlBinary(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(bytes.length * 2 + 10);
  let n = out.write("_binary '", 0, "latin1");
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const esc = BYTE_ESCAPES.get(b);
    if (esc === undefined) {
      out[n++] = b;
    } else {
      out[n++] = 0x5c;
      out[n++] = esc;
    }
  }
  out[n++] = 0x27;
  return out.subarray(0, n);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Day number -> 'YYYY-MM-DD' quoted; null -> NULL. */
export function sqlDate(day: number | null | undefined): string {
  if (day === null || day === undefined) return "NULL";
  return `'${new Date(day * 86_400_000).toISOString().slice(0, 10)}'`;
}

/** Minutes since 1970-01-01 (business-local clock) -> 'YYYY-MM-DD HH:MM:SS' quoted. */
export function sqlDateTime(minute: number | null | undefined, second = 0): string {
  if (minute === null || minute === undefined) return "NULL";
  return `'${formatDateTime(minute, second)}'`;
}

export function formatDateTime(minute: number, second = 0): string {
  const d = new Date(minute * 60_000);
  return `${d.toISOString().slice(0, 10)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(second)}`;
}
