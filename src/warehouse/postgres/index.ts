/** The PostgreSQL engine (see README.md beside warehouse.ts, "PostgreSQL: schemas"). */
export { PostgresWarehouse, DEFAULT_KEEP } from "./postgres-warehouse.js";
export { connectPostgres, redactUrl } from "./postgres-session.js";
export { grantReadonlyRole } from "./postgres-grants.js";
export { ENGINE_SCHEMA, READONLY_SCHEMAS } from "./postgres-states.js";
export { postgresColumnType } from "./postgres-types.js";
