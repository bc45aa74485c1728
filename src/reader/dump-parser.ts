import { DumpParseError } from "../errors.js";
import { classifyStatement, parseInsertHeader, upperWord } from "./classify-statement.js";
import type { BufferPool } from "./buffer-pool.js";
import { ByteArena } from "./byte-arena.js";
import type { ColumnSink } from "./column-sink.js";
import type { ColumnsEvent } from "./column-batch.js";
import { InsertSkipper } from "./insert-skipper.js";
import { parseCreateTable } from "./parse-create-table.js";
import { SqlLexer, type SqlToken } from "./sql-lexer.js";
import { SyntaxFault } from "./syntax-fault.js";
import { tableState, type TableState } from "./table-state.js";
import { TupleFault, TupleReader } from "./tuple-reader.js";
import type { DumpEvent, TableReadStats, TableSchema, Value } from "./types.js";

export interface DumpParserOptions {
  /** Name of the dump, for error messages. */
  file: string;
  /** Schemas of tables the dump may fill without creating them (data-only dumps). */
  knownSchemas?: ReadonlyMap<string, TableSchema>;
  /** Tables to read; the others are passed over without decoding. Default: all. */
  includeTable?: (name: string) => boolean;
  /** Rows per `rows` event at most (default 4096). */
  batchRows?: number;
  /** SQL bytes per `rows` event at most, for tables of large rows (default 8 MiB). */
  batchBytes?: number;
  /** Text values as UTF-8 bytes, byte values packed per batch (see ReadDumpOptions.textAsBytes). */
  textAsBytes?: boolean;
  /** Batches as `columns` events, values decoded straight into typed arrays (see column-sink.ts). */
  columnar?: boolean;
  /** Columnar mode: where batch buffers come from (see buffer-pool.ts). */
  pool?: BufferPool;
}

/** A statement the reader deliberately ignored (view, trigger, routine, event, sequence). */
export interface SkippedStatement {
  kind: string;
  name: string;
  byteOffset: number;
}

const BETWEEN = 0;
const STATEMENT = 1;
const DELIMITER_LINE = 2;
const INSERT = 3;
const SKIP_INSERT = 4;

const DELIMITER_WORD = Buffer.from("delimiter");
const EMPTY = Buffer.alloc(0);

/**
 * The mysqldump text parser: push bytes in (any chunking), get DumpEvents out. Statements are
 * lexed by SqlLexer; CREATE TABLE gives a `table` event, INSERT/REPLACE tuples are decoded by
 * TupleReader into `rows` events (consecutive statements into the same table share batches),
 * views / triggers / routines / events give `skipped` events, everything else (SET, LOCK
 * TABLES, DROP, USE, ...) is passed over. The bytes not yet consumed are kept in a window that
 * only grows for a single value longer than a chunk.
 */
export class DumpParser {
  /** Read counters per loaded table (live). */
  readonly stats = new Map<string, TableReadStats>();
  /** Statements skipped on purpose, once per kind and name. */
  readonly skipped: SkippedStatement[] = [];
  /** Tables created by the dump, by name. */
  readonly tables = new Map<string, TableSchema>();
  /** Last database named by CREATE DATABASE or USE. */
  database: string | undefined;

  private readonly file: string;
  private readonly knownSchemas: ReadonlyMap<string, TableSchema>;
  private readonly includeTable: (name: string) => boolean;
  private readonly batchRows: number;
  private readonly batchBytes: number;
  private readonly arena: ByteArena | undefined;

  /** Window: unconsumed bytes start at `pos`; `base` is the SQL offset of buf[0]. */
  private buf: Buffer = EMPTY;
  private base = 0;
  private pos = 0;
  private own: Buffer = EMPTY;
  private bufIsOwn = false;

  private mode = BETWEEN;
  private readonly lexer = new SqlLexer();
  private readonly tuples: TupleReader;
  private readonly skipper = new InsertSkipper();
  private events: (DumpEvent | ColumnsEvent)[] = [];
  private readonly columnar: boolean;
  private readonly pool: BufferPool | undefined;
  /** Columnar mode: the sink of `batchTable`. */
  private batchSink: ColumnSink | undefined;

  private statementStart = 0;
  private statementVersion = 0;
  private statementDepth = 0;
  private tokens: SqlToken[] = [];
  private tokenCap = 64;
  private isInsert = false;
  private insertTable = "";

  private readonly states = new Map<string, TableState>();
  private readonly viewNames = new Set<string>();
  private readonly skippedKeys = new Set<string>();
  private batch: Value[][] = [];
  private batchTable = "";
  private batchOffset = 0;
  private columnMapKey = "";
  private columnMap: number[] | undefined;

  constructor(options: DumpParserOptions) {
    this.file = options.file;
    this.knownSchemas = options.knownSchemas ?? new Map();
    this.includeTable = options.includeTable ?? (() => true);
    this.batchRows = options.batchRows ?? 4096;
    this.batchBytes = options.batchBytes ?? 8 << 20;
    this.columnar = options.columnar === true;
    this.pool = options.pool;
    this.arena = options.textAsBytes && !this.columnar ? new ByteArena() : undefined;
    this.tuples = new TupleReader(this.lexer, (row, offset) => this.addRow(row, offset));
    this.tuples.reuseRows = this.columnar; // the sink copies each row's values at once
  }

  /** True when the dump ended with mysqldump's `-- Dump completed` comment. */
  get sawDumpCompleted(): boolean {
    return this.lexer.sawDumpCompleted;
  }

  /** SQL bytes consumed so far. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Parses the next bytes; returns the events they complete. */
  push(chunk: Buffer): (DumpEvent | ColumnsEvent)[] {
    if (chunk.length > 0) {
      this.feed(chunk);
      this.run(false);
      if (!this.bufIsOwn && this.pos < this.buf.length) this.keepTail();
    }
    return this.takeEvents();
  }

  /** Ends the input: throws if it ends inside a statement; returns the last events. */
  finish(): (DumpEvent | ColumnsEvent)[] {
    this.run(true);
    this.flushRows();
    return this.takeEvents();
  }

  private takeEvents(): (DumpEvent | ColumnsEvent)[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /** Copies the unconsumed tail of the caller's chunk, which its producer may reuse. */
  private keepTail(): void {
    const left = this.buf.length - this.pos;
    if (this.own.length < left) this.own = Buffer.allocUnsafe(Math.max(2 * left, 256 << 10));
    this.buf.copy(this.own, 0, this.pos);
    this.base += this.pos;
    this.buf = this.own.subarray(0, left);
    this.pos = 0;
    this.bufIsOwn = true;
    this.forgetWindow();
  }

  private forgetWindow(): void {
    this.lexer.forgetWindow();
    this.tuples.forgetWindow();
    this.skipper.forgetWindow();
  }

  /** Appends a chunk to the window, keeping the unconsumed bytes. */
  private feed(chunk: Buffer): void {
    this.forgetWindow();
    const left = this.buf.length - this.pos;
    const end = this.base + this.buf.length;
    if (left === 0) {
      this.buf = chunk;
      this.base = end;
      this.pos = 0;
      this.bufIsOwn = false;
      return;
    }
    const need = left + chunk.length;
    if (this.bufIsOwn && this.pos === 0 && need <= this.own.length) {
      chunk.copy(this.own, left); // a long value growing in place
    } else {
      let own = this.own;
      if (own.length < need || (own.length > 4 << 20 && own.length > 4 * need)) {
        own = Buffer.allocUnsafe(Math.max(2 * need, 256 << 10));
      }
      this.buf.copy(own, 0, this.pos);
      chunk.copy(own, left);
      this.own = own;
    }
    this.buf = this.own.subarray(0, need);
    this.base = end - left;
    this.pos = 0;
    this.bufIsOwn = true;
  }

  private error(offset: number, detail: string, table?: string): DumpParseError {
    return new DumpParseError(this.file, table, offset, detail);
  }

  private run(final: boolean): void {
    try {
      this.loop(final);
    } catch (e) {
      const table = this.isInsert ? this.insertTable || undefined : this.createdName();
      if (e instanceof TupleFault) {
        let detail = e.message;
        if (e.column !== undefined) {
          const column = this.states.get(this.insertTable)?.schema.columns[e.column];
          if (column) detail = `column \`${column.name}\` (${column.mysqlType}): ${detail}`;
        }
        throw this.error(e.byteOffset, detail, table);
      }
      if (e instanceof SyntaxFault) {
        throw this.error(e.byteOffset ?? this.statementStart, e.message, table);
      }
      throw e;
    }
  }

  private loop(final: boolean): void {
    const lexer = this.lexer;
    for (;;) {
      const buf = this.buf;
      if (this.mode === INSERT) {
        const done = this.tuples.read(buf, this.base, this.pos, final);
        this.pos = this.tuples.pos;
        if (!done) return;
        this.mode = BETWEEN;
        continue;
      }
      if (this.mode === SKIP_INSERT) {
        const done = this.skipper.read(buf, this.base, this.pos, lexer, final);
        this.pos = this.skipper.pos;
        if (!done) return;
        // an INSERT inside an executable comment closed it before its delimiter
        while (lexer.openVersions.length > this.statementDepth) lexer.openVersions.pop();
        this.mode = BETWEEN;
        continue;
      }
      if (this.mode === DELIMITER_LINE) {
        const eol = buf.indexOf(0x0a, this.pos);
        if (eol === -1 && !final) return;
        const line = buf.toString("utf8", this.pos, eol === -1 ? buf.length : eol).trim();
        const delimiter = line.split(/\s+/)[0];
        if (!delimiter) throw this.error(this.base + this.pos, "DELIMITER command without a delimiter");
        lexer.delimiter = Buffer.from(delimiter, "utf8");
        this.pos = eol === -1 ? buf.length : eol + 1;
        this.mode = BETWEEN;
        continue;
      }

      // BETWEEN or STATEMENT: trivia, then the delimiter or a token
      const p = lexer.skipTrivia(buf, this.pos, final);
      this.pos = p;
      if (lexer.incomplete) {
        if (final) throw this.error(this.base + p, "unterminated comment at the end of the input");
        return;
      }
      if (p >= buf.length) {
        if (final && this.mode === STATEMENT) {
          throw this.error(
            this.statementStart,
            "input ends inside a statement that has no delimiter (truncated dump?)",
            this.createdName(),
          );
        }
        return;
      }
      const d = lexer.delimiterAt(buf, p, final);
      if (d < 0) return;
      if (d > 0) {
        this.pos = p + d;
        if (this.mode === STATEMENT) this.endStatement();
        this.mode = BETWEEN;
        continue;
      }
      if (this.mode === BETWEEN) {
        const n = this.delimiterCommandAt(buf, p, final);
        if (n < 0) return;
        if (n > 0) {
          this.pos = p + n;
          this.mode = DELIMITER_LINE;
          continue;
        }
        this.mode = STATEMENT;
        this.statementStart = this.base + p;
        this.statementVersion = lexer.condVersion;
        this.statementDepth = lexer.openVersions.length;
        this.tokens = [];
        this.tokenCap = 64;
        this.isInsert = false;
        this.insertTable = "";
      }
      const token = lexer.token(buf, p, this.base, final);
      if (!token) {
        if (final)
          throw this.error(this.base + p, "unterminated quoted string or identifier", this.createdName());
        return;
      }
      this.pos = lexer.tokenEnd;
      if (this.tokens.length < this.tokenCap) this.tokens.push(token);
      if (this.tokens.length === 1) {
        const w = upperWord(token);
        this.isInsert = w === "INSERT" || w === "REPLACE";
        if (this.isInsert || w === "CREATE") this.tokenCap = Infinity;
      } else if (this.isInsert && token.kind === "word" && /^values?$/i.test(token.text)) {
        this.beginInsert();
      }
    }
  }

  /** Length of `DELIMITER ` when that client command starts at `p`; 0 if not; -1 if the window ends too early. */
  private delimiterCommandAt(buf: Buffer, p: number, final: boolean): number {
    const n = DELIMITER_WORD.length;
    for (let i = 0; i <= n; i++) {
      if (p + i >= buf.length) return final ? 0 : -1;
      const c = buf[p + i]!;
      if (i === n) return c === 0x20 || c === 0x09 ? n + 1 : 0;
      if ((c | 0x20) !== DELIMITER_WORD[i]) return 0;
    }
    return 0;
  }

  /** Name after CREATE ... TABLE in the current statement, for error messages. */
  private createdName(): string | undefined {
    const c = classifyStatement(this.tokens);
    return c.type === "create-table" ? c.name : undefined;
  }

  private endStatement(): void {
    const c = classifyStatement(this.tokens);
    switch (c.type) {
      case "create-table":
        // mysqldump writes a stand-in table for each view, inside /*!50001 ... */, then the view
        if (this.statementVersion === 50001 || this.viewNames.has(c.name)) this.skip("view", c.name);
        else if (this.includeTable(c.name)) this.createTable(parseCreateTable(this.tokens));
        break;
      case "created-object":
        this.skip(c.kind, c.name);
        break;
      case "database":
        this.database = c.name;
        break;
      case "drop-view":
        this.viewNames.add(c.name);
        break;
      case "insert-without-values":
        throw this.error(this.statementStart, `${c.verb} without VALUES is not supported`, c.name);
    }
  }

  private createTable(schema: TableSchema): void {
    this.flushRows();
    const state = this.newTableState(schema);
    this.tables.set(schema.name, schema);
    this.states.set(schema.name, state);
    this.stats.set(schema.name, state.stats);
    this.events.push({ type: "table", schema, byteOffset: this.statementStart });
  }

  private skip(kind: string, name: string): void {
    const key = `${kind}\0${name}`;
    if (this.skippedKeys.has(key)) return;
    this.skippedKeys.add(key);
    this.flushRows();
    const skipped = { kind, name, byteOffset: this.statementStart };
    this.skipped.push(skipped);
    this.events.push({ type: "skipped", ...skipped });
  }

  /** After `INSERT ... VALUES`: resolves table and column list, switches to tuple reading. */
  private beginInsert(): void {
    const { table: name, columns } = parseInsertHeader(this.tokens, this.statementStart);
    this.insertTable = name;
    if (!this.includeTable(name)) {
      this.skipper.begin();
      this.mode = SKIP_INSERT;
      return;
    }
    let state = this.states.get(name);
    if (!state) {
      const known = this.knownSchemas.get(name);
      if (!known) {
        throw this.error(
          this.statementStart,
          `INSERT into table \`${name}\`, which the dump does not create (no CREATE TABLE before it) and no known schema describes`,
          name,
        );
      }
      state = this.newTableState(known);
      this.states.set(name, state);
      this.stats.set(name, state.stats);
    }
    this.tuples.begin(state, columns ? this.mapColumns(state, columns) : undefined);
    if (this.batchTable !== name) this.flushRows();
    this.batchTable = name;
    this.batchSink = state.sink;
    this.mode = INSERT;
  }

  private mapColumns(state: TableState, columns: string[]): number[] {
    const key = `${state.schema.name}\0${columns.join("\0")}`;
    if (key === this.columnMapKey && this.columnMap) return this.columnMap;
    const seen = new Set<number>();
    const map = columns.map((c) => {
      const index = state.columnIndex.get(c.toLowerCase());
      if (index === undefined || seen.has(index)) {
        throw new SyntaxFault(
          `INSERT into \`${state.schema.name}\` lists column \`${c}\` ${index === undefined ? "which the table does not have" : "twice"}`,
          this.statementStart,
        );
      }
      seen.add(index);
      return index;
    });
    this.columnMapKey = key;
    this.columnMap = map;
    return map;
  }

  private newTableState(schema: TableSchema): TableState {
    return tableState(schema, this.arena, this.columnar ? this.batchRows : undefined, this.pool);
  }

  private addRow(row: Value[], tupleOffset: number): void {
    const sink = this.batchSink;
    if (sink) {
      if (sink.rows === 0) this.batchOffset = tupleOffset;
      sink.endRow(row);
      if (sink.rows >= this.batchRows || tupleOffset - this.batchOffset >= this.batchBytes) this.flushRows();
      return;
    }
    if (this.batch.length === 0) this.batchOffset = tupleOffset;
    this.batch.push(row);
    if (this.batch.length >= this.batchRows || tupleOffset - this.batchOffset >= this.batchBytes)
      this.flushRows();
  }

  private flushRows(): void {
    const sink = this.batchSink;
    if (sink) {
      if (sink.rows === 0) return;
      const batch = sink.take();
      this.events.push({ type: "columns", table: this.batchTable, batch, byteOffset: this.batchOffset });
      return;
    }
    if (this.batch.length === 0) return;
    const event: DumpEvent = {
      type: "rows",
      table: this.batchTable,
      rows: this.batch,
      byteOffset: this.batchOffset,
    };
    if (this.arena) event.buffers = this.arena.take();
    this.events.push(event);
    this.batch = [];
  }
}
