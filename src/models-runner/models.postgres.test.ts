/**
 * The models runner's suites (materializations, data tests, build order, skipping, stored
 * results) on a real PostgreSQL 15: the same test files, each warehouse a fresh database.
 */
import { afterAll } from "vitest";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../test/support/postgres.js";
import { runSuitesOn } from "./testing/fixture-project.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());
let server: Promise<PostgresServer> | undefined;
afterAll(async () => {
  await (await server)?.stop();
});

if (available) {
  runSuitesOn("postgres", async () => {
    server ??= startPostgres();
    return (await server).createDatabase();
  });
  await import("./materializations.test.js");
  await import("./data-tests.test.js");
}
