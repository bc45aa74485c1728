import { describe, expect, it } from "vitest";
import { parseBusinessDate as day } from "../calendar/business-date.js";
import { DemoWorld } from "./world.js";
import { monthEndFigures, monthMoves, occupiedRooms, totalRooms } from "./world-figures.js";

// The operator's published January 2026 figures (source.md).
const REFERENCE = { occupancy: 0.707, rent: 56_195, revpar: 39_757, recpar: 37_826, occupied0000: 11_271 };

function worldAt(scale: number, seed: number): DemoWorld {
  const world = new DemoWorld({ scale, seed });
  world.advanceTo(day("2026-04-02"));
  return world;
}

describe("demo world calibration", () => {
  it.each([1, 2])("reproduces the January 2026 rates at scale 0.1 (seed %i)", (seed) => {
    const world = worldAt(0.1, seed);
    const jan = monthEndFigures(world, day("2026-01-31"));
    expect(Math.abs(jan.occupancyRate - REFERENCE.occupancy)).toBeLessThan(0.01);
    expect(Math.abs(jan.rent / REFERENCE.rent - 1)).toBeLessThan(0.02);
    expect(Math.abs(jan.revpar / REFERENCE.revpar - 1)).toBeLessThan(0.03);
    expect(Math.abs(jan.recparCash / REFERENCE.recpar - 1)).toBeLessThan(0.04);
    expect(jan.totalRooms).toBeGreaterThan(1400);
    expect(jan.totalRooms).toBeLessThan(1800);
  });

  it("scales counts with --scale while rates stay", () => {
    const small = worldAt(0.1, 3);
    const larger = worldAt(0.3, 3);
    const a = monthEndFigures(small, day("2026-01-31"));
    const b = monthEndFigures(larger, day("2026-01-31"));
    expect(b.totalRooms / a.totalRooms).toBeGreaterThan(2.7);
    expect(b.totalRooms / a.totalRooms).toBeLessThan(3.3);
    expect(Math.abs(a.occupancyRate - b.occupancyRate)).toBeLessThan(0.01);
    const occupied0000 = occupiedRooms(larger, day("2026-02-01"), true).size / 0.3;
    expect(Math.abs(occupied0000 / REFERENCE.occupied0000 - 1)).toBeLessThan(0.03);
  });

  it("has the Japanese moving season at scale 1: February 300-370 in, 500-560 out, March peaks", () => {
    const world = worldAt(1, 1);
    const jan = monthMoves(world, day("2026-01-01"));
    const feb = monthMoves(world, day("2026-02-01"));
    const mar = monthMoves(world, day("2026-03-01"));
    expect(feb.moveins).toBeGreaterThanOrEqual(300);
    expect(feb.moveins).toBeLessThanOrEqual(370);
    expect(feb.moveouts).toBeGreaterThanOrEqual(500);
    expect(feb.moveouts).toBeLessThanOrEqual(560);
    expect(mar.moveouts).toBeGreaterThan(feb.moveouts);
    expect(feb.moveouts).toBeGreaterThan(jan.moveouts);
    const janFigures = monthEndFigures(world, day("2026-01-31"));
    expect(Math.abs(janFigures.occupancyRate - REFERENCE.occupancy)).toBeLessThan(0.01);
    expect(
      Math.abs(occupiedRooms(world, day("2026-02-01"), true).size / REFERENCE.occupied0000 - 1),
    ).toBeLessThan(0.02);
  });

  it("keeps the room inventory near the operator's size at scale 1", () => {
    const world = new DemoWorld({ scale: 1, seed: 1 });
    const total = totalRooms(world, day("2026-01-31"));
    expect(total).toBeGreaterThan(15_500);
    expect(total).toBeLessThan(16_500);
  });
});
