import { isUtf8 } from "node:buffer";

/** Strict UTF-8 (no overlong forms, surrogates or truncated sequences), as Buffer decodes it unchanged. */
export function wellFormedUtf8(bytes: Uint8Array): boolean {
  // short ASCII is the common case: no native call for it
  if (bytes.length > 16) return isUtf8(bytes);
  for (let k = 0; k < bytes.length; k++) if (bytes[k]! >= 0x80) return isUtf8(bytes);
  return true;
}

/** Whether the text parses as JSON. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
