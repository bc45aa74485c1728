/**
 * A building's coordinates: its own when the PMS has both (and not 0, 0), otherwise its
 * municipality's centre, flagged approximate. The same rule as enrich.apartment_locations.
 */
export interface BuildingCoordinates {
  latitude: number | null;
  longitude: number | null;
  approximate: boolean;
  source: "building" | "municipality" | "none";
}

type Coordinate = number | string | null | undefined;

export function buildingCoordinates(
  own: { latitude: Coordinate; longitude: Coordinate },
  municipality: { latitude: number | null; longitude: number | null } | null,
): BuildingCoordinates {
  const lat = own.latitude === null || own.latitude === undefined ? NaN : Number(own.latitude);
  const lng = own.longitude === null || own.longitude === undefined ? NaN : Number(own.longitude);
  if (Number.isFinite(lat) && Number.isFinite(lng) && !(lat === 0 && lng === 0))
    return { latitude: lat, longitude: lng, approximate: false, source: "building" };
  if (municipality && municipality.latitude !== null && municipality.longitude !== null)
    return {
      latitude: municipality.latitude,
      longitude: municipality.longitude,
      approximate: true,
      source: "municipality",
    };
  return { latitude: null, longitude: null, approximate: false, source: "none" };
}
