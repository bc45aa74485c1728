/**
 * One small error hierarchy by stage. The CLI turns any of these into a message and an exit
 * code in one place (cli/output.ts); everything else just throws the right kind.
 */
export class TokyobetaError extends Error {
  /** Process exit code the CLI uses when this error ends a command. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad settings: a config file that does not parse, a value of the wrong type, a missing setting. */
export class ConfigError extends TokyobetaError {
  override readonly exitCode = 2;
}

/** Wrong command-line usage (unknown date format, conflicting flags). */
export class UsageError extends TokyobetaError {
  override readonly exitCode = 2;
}

/** A dump or manifest that cannot be trusted or read; names the file and what is wrong. */
export class DumpRejectedError extends TokyobetaError {}

/** mysqldump text that cannot be parsed: carries the file, table and byte offset. */
export class DumpParseError extends TokyobetaError {
  constructor(
    readonly file: string,
    readonly table: string | undefined,
    readonly byteOffset: number,
    readonly detail: string,
  ) {
    super(`${file}: ${table ? `table \`${table}\`, ` : ""}byte offset ${byteOffset}: ${detail}`);
  }
}

/** The warehouse refused an operation or is in a state that does not allow it. */
export class WarehouseError extends TokyobetaError {}

/** A model project that does not parse or compile: every problem found, each naming its file. */
export class ModelCompileError extends TokyobetaError {
  constructor(readonly problems: readonly { file: string; message: string }[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the model project:\n` +
        problems.map((p) => `  ${p.file}: ${p.message.replace(/\n/g, "\n    ")}`).join("\n"),
    );
  }
}
