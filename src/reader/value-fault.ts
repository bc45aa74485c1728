/**
 * A value that does not fit its column (text in an integer column, a malformed date, ...).
 * Thrown by the value decoders, which know nothing of files and offsets; the dump parser turns
 * it into a DumpParseError naming the file, table, column and byte offset.
 */
export class ValueFault extends Error {}
