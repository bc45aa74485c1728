/**
 * Test helper run as a child process (`node --import tsx crash-writer.ts LOCATION`): begins a
 * state, loads a table, prints `{"id": ...}` on stdout and then waits to be killed, so tests
 * can SIGKILL a writer in the middle of its work.
 */
import { openWarehouse } from "../open-warehouse.js";
import type { TableSchema } from "../../reader/types.js";

const location = process.argv[2];
if (!location) throw new Error("usage: crash-writer.ts LOCATION");
const warehouse = await openWarehouse(location);
const writer = await warehouse.beginState({ label: "crash-writer", command: "crash-writer" });
const table: TableSchema = {
  name: "crashed",
  columns: [{ name: "n", mysqlType: "int", kind: "int32", nullable: false }],
};
await writer.createTable("staging", table);
const appender = await writer.openAppender("staging", table);
await appender.append(Array.from({ length: 10_000 }, (_, i) => [i]));
process.stdout.write(JSON.stringify({ id: writer.stateId, pid: process.pid }) + "\n");
setInterval(() => undefined, 60_000);
