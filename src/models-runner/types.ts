/**
 * The parsed model project (pure data) and the results of running it. Stages:
 * load-project (files -> ModelProject) -> build-graph -> compile-node (templates -> SQL, pure)
 * -> materialize/* (SQL -> statements, pure) -> run-models (the only stage touching a warehouse).
 */
import type { SqlValue } from "../warehouse/warehouse.js";

export type Engine = "duckdb" | "postgres";
export type Materialization = "view" | "table" | "incremental";
export type Severity = "error" | "warn";

export interface ModelConfig {
  materialized: Materialization;
  /** Columns identifying a row of an incremental model (delete+insert key). */
  uniqueKey: string[];
  tags: string[];
  /** false: `--full-refresh` never drops this model (only `fullRefreshProtected` does). */
  fullRefresh: boolean;
  /**
   * Incremental only: an SQL predicate on the target whose rows an incremental run deletes
   * before inserting the slice, for rows the new slice will not replace by key (e.g. stale
   * projection rows of a date that became a gap). It replaces the unique-key match, so it
   * must cover every row the slice re-inserts. A template fragment: `ref()`, `var()`
   * resolve as in the model (write it as a plain string so it is rendered at run time).
   */
  deleteWhere?: string;
}

export interface ColumnDoc {
  name: string;
  description: string;
}

interface NodeBase {
  /** `schema.name`, e.g. `silver.stg_tenants`; `ref('name')` resolves to it. */
  id: string;
  name: string;
  schema: string;
  /** Path relative to the project folder, e.g. `silver/stg_tenants.sql`. */
  file: string;
  description: string;
  columns: ColumnDoc[];
  /** The YAML file that describes this node, when one does. */
  docFile?: string;
}

export interface ModelNode extends NodeBase {
  kind: "model";
  /** The template text as written. */
  template: string;
  config: ModelConfig;
  /** Ids of models and seeds this model refers to (`ref`), sorted. */
  refs: string[];
  /** `schema.table` of sources (`source('staging', 'table')`), sorted. */
  sources: string[];
}

/** Neutral inferred type of a seed column, or a declared SQL type. */
export type SeedColumnType = "integer" | "bigint" | "decimal" | "date" | "boolean" | "text";

export interface SeedColumn {
  name: string;
  /** The SQL type the table gets: inferred (INTEGER, BIGINT, DECIMAL(p,s), DATE, BOOLEAN, VARCHAR) or declared. */
  sqlType: string;
  declared: boolean;
}

export interface SeedNode extends NodeBase {
  kind: "seed";
  seedColumns: SeedColumn[];
  /** Cells as text; '' is NULL. */
  rows: string[][];
  tags: string[];
}

export type BuildableNode = ModelNode | SeedNode;

export type GenericTestType =
  | "not_null"
  | "unique"
  | "accepted_values"
  | "relationships"
  | "expression_is_true"
  | "row_count"
  | "unique_combination";

export interface TestNode {
  kind: "test";
  /** Unique test name, e.g. `not_null_stg_tenants_tenant_id` or the singular test's file name. */
  id: string;
  type: GenericTestType | "singular";
  /** The model or seed the test is declared on (generic tests); undefined for singular tests. */
  attachedTo?: string;
  column?: string;
  severity: Severity;
  /** Arguments as written in YAML (values, to, field, expression, min, max, columns). */
  args: Record<string, unknown>;
  /** Filter applied to the tested relation (template text; may use var()). */
  where?: string;
  /** YAML file (generic) or SQL file (singular), relative to the project folder. */
  file: string;
  /** Singular tests: the template text. */
  template?: string;
  /** Every model or seed the test reads, sorted. */
  dependsOn: string[];
}

export interface ModelGraph {
  /** Models and seeds in a dependency order (parents first; ties by id). */
  order: string[];
  parents: Map<string, string[]>;
  children: Map<string, string[]>;
}

export interface MacroFile {
  engine: string;
  file: string;
  template: string;
  names: string[];
}

export interface ModelProject {
  /** Absolute path of the project folder. */
  dir: string;
  nodes: Map<string, BuildableNode>;
  /** Model/seed name -> id (names are unique across schemas). */
  byName: Map<string, string>;
  tests: TestNode[];
  /** Engine -> macro files of `macros/common/` and then of `macros/<engine>/`. */
  macros: Map<string, MacroFile[]>;
  /** The macro files of `macros/common/`: all an engine gets when there is no engine folder. */
  commonMacros: MacroFile[];
  graph: ModelGraph;
}

/** Values passed with `--var name=value` or by the daily run. */
export type Vars = Record<string, string | number | boolean | null>;

export type RunStatus = "success" | "error" | "skipped";
export type TestStatus = "pass" | "fail" | "warn" | "error" | "skipped";

export interface RunResult {
  node: string;
  kind: "model" | "seed";
  materialized: Materialization | "seed";
  status: RunStatus;
  durationMs: number;
  /** Rows in the table (table, seed), rows inserted (incremental), null for views and failures. */
  rows: number | null;
  message: string;
  startedAt: string;
}

export interface TestResult {
  test: string;
  /** The model or seed the test is declared on; for singular tests, their first dependency. */
  node: string | null;
  severity: Severity;
  status: TestStatus;
  failures: number;
  /** Up to 5 failing rows. */
  samples: Record<string, SqlValue>[];
  durationMs: number;
  message: string;
  startedAt: string;
}

/** Typed progress events, for the CLI printer or a log. */
export type ModelEvent =
  { type: "ModelBuilt"; result: RunResult } | { type: "TestFinished"; result: TestResult };
