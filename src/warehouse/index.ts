/** The warehouse: one interface, one module per engine (see README.md). */
export type {
  BeginStateOptions,
  OpenWarehouseOptions,
  QueryResult,
  ResultColumn,
  ResultKind,
  SqlParam,
  SqlValue,
  StateEvent,
  StateInfo,
  StateReader,
  StateWriter,
  TableAppender,
  Warehouse,
  WarehouseSession,
} from "./warehouse.js";
export { openWarehouse } from "./open-warehouse.js";
