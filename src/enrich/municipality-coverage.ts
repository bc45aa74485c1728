/** How many buildings resolved to a municipality and how, from enrich.apartment_locations. */
import type { WarehouseSession } from "../warehouse/warehouse.js";

export interface MunicipalityCoverage {
  buildings: number;
  /** Buildings with a municipality. */
  resolved: number;
  /** Buildings with a prefecture but no municipality. */
  prefectureOnly: number;
  /** Buildings with neither. */
  unresolved: number;
  /** Buildings by resolution method (exact, inferred, romanised, ..., unknown). */
  byMethod: Record<string, number>;
  /** Buildings below confidence 0.8 (listed by `tokyobeta enrich review`). */
  lowConfidence: number;
  /** Where each building's coordinates come from: its own, the municipality's centre (approximate), none. */
  coordinates: { building: number; municipality: number; none: number };
}

export async function municipalityCoverage(session: WarehouseSession): Promise<MunicipalityCoverage> {
  const result = await session.query(
    `SELECT method, coordinates_source,
            CASE WHEN municipality IS NOT NULL THEN 'resolved' WHEN prefecture IS NOT NULL THEN 'prefecture' ELSE 'none' END AS level,
            CASE WHEN confidence < 0.8 THEN 1 ELSE 0 END AS low,
            COUNT(*) AS n
     FROM enrich.apartment_locations GROUP BY 1, 2, 3, 4`,
  );
  const c: MunicipalityCoverage = {
    buildings: 0,
    resolved: 0,
    prefectureOnly: 0,
    unresolved: 0,
    byMethod: {},
    lowConfidence: 0,
    coordinates: { building: 0, municipality: 0, none: 0 },
  };
  for (const r of result.rows) {
    const n = Number(r.n);
    c.buildings += n;
    if (r.level === "resolved") c.resolved += n;
    else if (r.level === "prefecture") c.prefectureOnly += n;
    else c.unresolved += n;
    if (Number(r.low) === 1) c.lowConfidence += n;
    const method = String(r.method);
    c.byMethod[method] = (c.byMethod[method] ?? 0) + n;
    const source = String(r.coordinates_source) as keyof MunicipalityCoverage["coordinates"];
    c.coordinates[source] += n;
  }
  return c;
}

/** Human lines for the coverage report. */
export function formatCoverage(c: MunicipalityCoverage): string[] {
  const pct = (n: number) => (c.buildings === 0 ? "0.0" : ((100 * n) / c.buildings).toFixed(1));
  const methods = Object.entries(c.byMethod)
    .sort((a, b) => b[1] - a[1])
    .map(([m, n]) => `${m} ${n}`)
    .join(", ");
  return [
    `buildings: ${c.buildings}; municipality resolved ${c.resolved} (${pct(c.resolved)} %), prefecture only ${c.prefectureOnly}, unresolved ${c.unresolved}; below confidence 0.8: ${c.lowConfidence}`,
    `by method: ${methods || "-"}`,
    `coordinates: building's own ${c.coordinates.building}, municipality centre (approximate) ${c.coordinates.municipality}, none ${c.coordinates.none}`,
  ];
}
