/** Overview pieces: month-over-month change of the KPI cards, the trend's fact/projection split. */
import { describe, expect, it } from "vitest";
import { changeText, KPIS, occupancyTrendOption } from "./overview.js";

const spec = (name: string) => KPIS.find((k) => k.name === name)!;

describe("changeText", () => {
  it("rates change in percentage points, amounts in percent; none without a previous month", () => {
    expect(changeText(spec("occupancy_rate"), 0.72, 0.7)).toEqual({ text: "+2.0 pt", dir: "up" });
    expect(changeText(spec("rent"), 54000, 60000)).toEqual({ text: "-10.0%", dir: "down" });
    expect(changeText(spec("revpar"), 100, 100)).toEqual({ text: "0.0%", dir: "flat" });
    expect(changeText(spec("rent"), 100, null)).toEqual({ text: "—", dir: "flat" });
  });
});

describe("occupancyTrendOption", () => {
  it("draws facts solid and projections dashed from the last fact day, with the boundary line", () => {
    const days = [
      { snapshot_date: "2026-01-30", occupancy_rate: 0.7, is_projection: false },
      { snapshot_date: "2026-01-31", occupancy_rate: 0.71, is_projection: false },
      { snapshot_date: "2026-02-01", occupancy_rate: 0.705, is_projection: true },
    ];
    const option = occupancyTrendOption("en", days, "2026-02-01") as {
      series: {
        name: string;
        data: (number | null)[];
        lineStyle: { type?: string };
        markLine?: { data: unknown[] };
      }[];
    };
    const [fact, projection] = option.series;
    expect(fact!.name).toBe("Fact");
    expect(fact!.data).toEqual([70, 71, null]);
    expect(projection!.name).toBe("Projection");
    expect(projection!.data).toEqual([null, 71, 70.5]);
    expect(projection!.lineStyle.type).toBe("dashed");
    expect(projection!.markLine!.data).toEqual([{ xAxis: "2026-02-01" }]);
  });
});
