/**
 * Kinds of literal the INSERT tuple scanner hands to a value decoder, with the byte range they
 * cover: a quoted string's content (escapes already resolved), an unquoted number as written,
 * the hex digits of `0xAB` / `X'AB'`, the binary digits of `b'01'` / `0b01`.
 */
export const TOK_NULL = 0;
export const TOK_NUMBER = 1;
export const TOK_STRING = 2;
export const TOK_HEX = 3;
export const TOK_BITS = 4;

export type ValueToken =
  typeof TOK_NULL | typeof TOK_NUMBER | typeof TOK_STRING | typeof TOK_HEX | typeof TOK_BITS;
