/**
 * A statement the reader cannot make sense of (a CREATE TABLE with an unknown column type, an
 * INSERT without VALUES). `byteOffset` is where in the SQL text it was found, when known; the
 * dump parser turns it into a DumpParseError.
 */
export class SyntaxFault extends Error {
  constructor(
    message: string,
    readonly byteOffset?: number,
  ) {
    super(message);
  }
}
