/**
 * Writes the text MySQL 8 `mysqldump --opt` produces: header comments and SET statements,
 * per table DROP/CREATE, LOCK TABLES, DISABLE KEYS, extended INSERTs of at most ~1 MB, and
 * the footer. Rows arrive already rendered as tuples, `(1,'a',NULL)`: a string, or a Buffer
 * when the row carries raw binary bytes.
 */
import type { DumpSink } from "./dump-sink.js";

/** mysqldump's default net_buffer_length: the most bytes one extended INSERT may hold. */
export const MAX_INSERT_BYTES = 1_046_528;

export type RenderedRow = string | Buffer;

export interface DumpHeader {
  host: string;
  database: string;
  serverVersion: string;
}

export class MysqldumpWriter {
  constructor(private readonly sink: DumpSink) {}

  header(h: DumpHeader): void {
    this.sink.write(
      `-- MySQL dump 10.13  Distrib ${h.serverVersion}, for Linux (x86_64)
--
-- Host: ${h.host}    Database: ${h.database}
-- ------------------------------------------------------
-- Server version\t${h.serverVersion}

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
`,
    );
  }

  /** Writes one table: structure, then its rows in extended INSERTs. */
  async table(name: string, createTableSql: string, rows: Iterable<RenderedRow>): Promise<void> {
    const s = this.sink;
    s.write(
      `
--
-- Table structure for table \`${name}\`
--

DROP TABLE IF EXISTS \`${name}\`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
${createTableSql};
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table \`${name}\`
--

LOCK TABLES \`${name}\` WRITE;
/*!40000 ALTER TABLE \`${name}\` DISABLE KEYS */;
`,
    );
    const prefix = `INSERT INTO \`${name}\` VALUES `;
    let statementBytes = 0;
    for (const row of rows) {
      const rowBytes = typeof row === "string" ? Buffer.byteLength(row) : row.length;
      if (statementBytes === 0) {
        s.write(prefix);
        statementBytes = prefix.length;
      } else if (statementBytes + rowBytes + 2 > MAX_INSERT_BYTES) {
        s.write(";\n");
        await s.flushIfFull();
        s.write(prefix);
        statementBytes = prefix.length;
      } else {
        s.write(",");
        statementBytes += 1;
      }
      if (typeof row === "string") s.write(row);
      else s.writeBytes(row);
      statementBytes += rowBytes;
    }
    if (statementBytes > 0) s.write(";\n");
    s.write(`/*!40000 ALTER TABLE \`${name}\` ENABLE KEYS */;\nUNLOCK TABLES;\n`);
    await s.flushIfFull();
  }

  /** `completedAt` is 'YYYY-MM-DD H:MM:SS' as mysqldump prints it (hour not zero-padded). */
  footer(completedAt: string): void {
    this.sink.write(
      `/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on ${completedAt}
`,
    );
  }
}
