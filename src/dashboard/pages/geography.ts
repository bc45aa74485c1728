/**
 * Geography `/geography`: a map of Tokyo drawn from coordinates (no map tiles): buildings
 * coloured by occupancy on the latest fact day, municipalities (at the centre of their
 * buildings) coloured by net change over the selected weeks; churn tables by municipality and
 * by building; the building x day occupancy history. Reads gold.municipality_churn_weekly,
 * property_churn_weekly, occupancy_property_map_latest, occupancy_property_daily, dim_property.
 */
import { buildWhere } from "../filters/filters.js";
import { columnLabel, t, type Lang } from "../i18n/labels.js";
import { chart, type Row } from "../layout.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { baseOption, num, rowsOf, type PageModule, type RenderContext } from "./page-kit.js";

const MUNICIPALITY_COLUMNS = [
  "municipality",
  "moveins",
  "moveouts",
  "net_change",
  "occupied_rooms_at_start",
  "churn_rate",
] as const;
const PROPERTY_COLUMNS = [
  "asset_id_hj",
  "building",
  "municipality",
  "moveins",
  "moveouts",
  "net_change",
  "churn_rate",
] as const;
const PROPERTY_DAILY_COLUMNS = [
  "snapshot_date",
  "asset_id_hj",
  "building",
  "municipality",
  "occupied_rooms",
  "total_rooms",
  "occupancy_rate",
] as const;

const BUILDING_COLUMNS = [
  "asset_id_hj",
  "building",
  "municipality",
  "latitude",
  "longitude",
  "occupied_rooms",
  "total_rooms",
  "occupancy_rate",
  "net_change_28d",
] as const;

/** Churn sums over the selected weeks; churn_rate = move-outs / occupied rooms at the weeks' starts. */
const CHURN_SUMS = `CAST(sum(moveins) AS BIGINT) AS moveins, CAST(sum(moveouts) AS BIGINT) AS moveouts,
  CAST(sum(net_change) AS BIGINT) AS net_change`;
const CHURN_RATE =
  "CAST(sum(moveouts) AS DOUBLE PRECISION) / NULLIF(sum(occupied_rooms_at_start), 0) AS churn_rate";

/** Municipality centres: the mean coordinates of their buildings (dim_property). */
async function municipalityCentres(
  ctx: RenderContext,
): Promise<Map<string, { lat: number; lon: number; buildings: number }>> {
  const rows = await rowsOf(ctx.reader, {
    sql: `SELECT municipality_code, CAST(avg(latitude) AS DOUBLE PRECISION) AS lat, CAST(avg(longitude) AS DOUBLE PRECISION) AS lon, count(*) AS buildings
FROM gold.dim_property WHERE latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY municipality_code`,
    params: [],
  });
  return new Map(
    rows.map((r) => [
      String(r.municipality_code),
      { lat: num(r.lat), lon: num(r.lon), buildings: num(r.buildings) },
    ]),
  );
}

export function mapOption(
  lang: Lang,
  buildings: readonly Row[],
  municipalities: readonly Row[],
  centres: Map<string, { lat: number; lon: number; buildings: number }>,
): unknown {
  const muni = municipalities.flatMap((m) => {
    const c = centres.get(String(m.municipality_code));
    return c ? [[c.lon, c.lat, num(m.net_change), String(m.municipality), c.buildings]] : [];
  });
  const maxAbs = Math.max(1, ...muni.map((m) => Math.abs(m[2] as number)));
  const points = buildings
    .filter((b) => b.latitude !== null && b.longitude !== null)
    .map((b) => [
      num(b.longitude),
      num(b.latitude),
      Math.round(num(b.occupancy_rate) * 1000) / 10,
      String(b.building),
    ]);
  return baseOption({
    tooltip: { trigger: "item" },
    grid: { left: 48, right: 24, top: 40, bottom: 72, containLabel: true },
    xAxis: {
      type: "value",
      scale: true,
      name: t(lang, "axis.longitude"),
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      scale: true,
      name: t(lang, "axis.latitude"),
      splitLine: { show: false },
    },
    visualMap: [
      {
        type: "continuous",
        seriesIndex: 0,
        dimension: 2,
        min: -maxAbs,
        max: maxAbs,
        text: [`+${maxAbs}`, `-${maxAbs}`],
        inRange: { color: ["#b2182b", "#f7f7f7", "#2166ac"] },
        orient: "horizontal",
        right: 0,
        bottom: 0,
        itemHeight: 100,
      },
      {
        type: "continuous",
        seriesIndex: 1,
        dimension: 2,
        min: 50,
        max: 100,
        text: ["100%", "50%"],
        inRange: { color: ["#d73027", "#fee08b", "#1a9850"] },
        orient: "horizontal",
        left: 0,
        bottom: 0,
        itemHeight: 100,
      },
    ],
    series: [
      {
        name: t(lang, "series.municipalities"),
        type: "scatter",
        dimensions: ["lon", "lat", columnLabel(lang, "net_change"), columnLabel(lang, "municipality"), "n"],
        encode: { x: 0, y: 1, tooltip: [3, 2] },
        symbolSize: 28,
        itemStyle: { opacity: 0.55, borderColor: "#555", borderWidth: 1 },
        label: { show: true, position: "top", fontSize: 10, formatter: "{@[3]}" },
        data: muni,
      },
      {
        name: t(lang, "series.buildings"),
        type: "scatter",
        dimensions: ["lon", "lat", columnLabel(lang, "occupancy_rate"), columnLabel(lang, "building")],
        encode: { x: 0, y: 1, tooltip: [3, 2] },
        symbolSize: 9,
        itemStyle: { borderColor: "#333", borderWidth: 0.5 },
        data: points,
      },
    ],
  });
}

export const geographyPage: PageModule = {
  page: DASHBOARD_PAGES[2]!,
  filters: ["from", "to", "building", "municipality"],
  optionsFrom: "dim_property",
  optionDimensions: ["building", "municipality"],
  tables: [
    {
      name: "municipality_churn",
      title: "table.municipality_churn",
      columns: MUNICIPALITY_COLUMNS,
      ignores: ["building"],
      query: ({ filters, lang }) => {
        const w = buildWhere(filters, {
          date: { column: "week_start", grain: "week" },
          municipality: "municipality_ja",
        });
        return {
          sql: `SELECT municipality_code, min(municipality_${lang}) AS municipality, ${CHURN_SUMS},
  CAST(sum(occupied_rooms_at_start) AS BIGINT) AS occupied_rooms_at_start, ${CHURN_RATE}
FROM gold.municipality_churn_weekly ${w.where} GROUP BY municipality_code ORDER BY min(municipality_ja)`,
          params: w.params,
        };
      },
    },
    {
      name: "property_churn",
      title: "table.property_churn",
      columns: PROPERTY_COLUMNS,
      query: ({ filters, lang }) => {
        const w = buildWhere(filters, {
          date: { column: "week_start", grain: "week" },
          building: "asset_id_hj",
          municipality: "municipality_ja",
        });
        return {
          sql: `SELECT asset_id_hj, min(apartment_name) AS building, min(municipality_${lang}) AS municipality, ${CHURN_SUMS}, ${CHURN_RATE}
FROM gold.property_churn_weekly ${w.where} GROUP BY asset_id_hj ORDER BY asset_id_hj`,
          params: w.params,
        };
      },
    },
    {
      // Building x fact day: the occupancy history behind the map, for Excel.
      name: "property_daily",
      title: "table.property_daily",
      columns: PROPERTY_DAILY_COLUMNS,
      previewOnly: true,
      query: ({ filters, lang }) => {
        const w = buildWhere(filters, {
          date: { column: "snapshot_date", grain: "day" },
          building: "asset_id_hj",
          municipality: "municipality_ja",
        });
        return {
          sql: `SELECT snapshot_date, asset_id_hj, apartment_name AS building, municipality_${lang} AS municipality,
  occupied_rooms, total_rooms, occupancy_rate
FROM gold.occupancy_property_daily ${w.where} ORDER BY snapshot_date, asset_id_hj`,
          params: w.params,
        };
      },
    },
    {
      name: "buildings",
      title: "table.buildings",
      columns: BUILDING_COLUMNS,
      query: ({ filters, lang }) => {
        const w = buildWhere(filters, { building: "asset_id_hj", municipality: "municipality_ja" });
        const name = lang === "en" ? "COALESCE(apartment_name_en, apartment_name)" : "apartment_name";
        return {
          sql: `SELECT asset_id_hj, ${name} AS building, municipality_${lang} AS municipality, latitude, longitude,
  occupied_rooms, total_rooms, occupancy_rate, CAST(net_change_28d AS BIGINT) AS net_change_28d
FROM gold.occupancy_property_map_latest ${w.where} ORDER BY asset_id_hj`,
          params: w.params,
        };
      },
    },
  ],
  async render(ctx) {
    const option = mapOption(
      ctx.lang,
      ctx.tables.buildings ?? [],
      ctx.tables.municipality_churn ?? [],
      await municipalityCentres(ctx),
    );
    return `<div class="wide">${chart(ctx.lang, "map", "chart.map", option)}</div>`;
  },
};
