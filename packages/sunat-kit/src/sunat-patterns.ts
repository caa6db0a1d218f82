// Field patterns of SUNAT's stylesheets that a received XML can break even when its structure is right: the
// client's validator (validate.ts) and the sandbox check them with this one function, so that a guide another
// system wrote gets the same code from the sandbox as from SUNAT. Defensive: the input may be anything.
import type { Guide, Place } from './guide.js';
import type { RuleFail } from './rule-report.js';

/** The patterns, with SUNAT's code for each. */
export const SUNAT_PATTERNS = {
  /** Driver's licence (2573). */
  license: /^(?!0+$)[0-9A-Z]{9,10}$/,
  /** TUC or certificate of registration of a vehicle (3355). */
  circulationCard: /^(?!0+$)[0-9A-Z]{10,15}$/,
  /** Latitude or longitude of a georeferenced point (3413). */
  coordinate: /^[+-]?[0-9]{1,3}(\.[0-9]{1,8})?$/,
  /** National tariff subheading, item property 7020 (3377). */
  tariffSubheading: /^(?!0+$)[0-9]{1,10}$/,
} as const;

/**
 * The text written for one coordinate: a string as given, a number with at most 8 decimals (SUNAT's limit) and
 * no exponent; undefined for anything else.
 */
export function coordinateText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) >= 1000) return undefined;
  return value.toFixed(8).replace(/\.?0+$/, '');
}

/** Each given licence, TUC, georeference and tariff subheading against SUNAT's pattern (absent ones are not judged here). */
export function checkSunatPatterns(guide: Guide, fail: RuleFail): void {
  const s = guide?.shipment;
  if (!s || typeof s !== 'object') return;
  for (const where of ['start', 'arrival'] as const) coordinates(`shipment.${where}`, s[where], fail);
  (Array.isArray(s.vehicles) ? s.vehicles : []).forEach((v, i) => {
    const card: unknown = v?.circulationCard;
    if (card !== undefined && (typeof card !== 'string' || !SUNAT_PATTERNS.circulationCard.test(card)))
      fail(`shipment.vehicles[${i}].circulationCard`, 'circulation-card-format', 'must be 10 to 15 upper-case letters or digits', '3355');
  });
  (Array.isArray(s.drivers) ? s.drivers : []).forEach((d, i) => {
    const license: unknown = d?.license;
    if (license !== undefined && license !== '' && (typeof license !== 'string' || !SUNAT_PATTERNS.license.test(license)))
      fail(`shipment.drivers[${i}].license`, 'license-format', 'must be 9 or 10 upper-case letters or digits, not all zeros', '2573');
  });
  (Array.isArray(guide.lines) ? guide.lines : []).forEach((l, i) => {
    const tariff: unknown = l?.tariffSubheading;
    if (tariff !== undefined && (typeof tariff !== 'string' || !SUNAT_PATTERNS.tariffSubheading.test(tariff)))
      fail(`lines[${i}].tariffSubheading`, 'tariff-subheading-format', 'must be 1 to 10 digits, not all zeros', '3377');
  });
}

/** SUNAT's pattern (3413), then the range a latitude (±90) or longitude (±180) has (the package's own check). */
function coordinates(field: string, place: Place | undefined, fail: RuleFail): void {
  const c: unknown = place?.coordinates;
  if (c === undefined) return;
  for (const [axis, limit] of [
    ['latitude', 90],
    ['longitude', 180],
  ] as const) {
    const written = typeof c === 'object' && c !== null ? coordinateText((c as Record<string, unknown>)[axis]) : undefined;
    if (written === undefined || !SUNAT_PATTERNS.coordinate.test(written))
      fail(`${field}.coordinates.${axis}`, 'coordinate-format', 'must be decimal degrees: up to 3 digits, 8 decimals', '3413');
    else if (Math.abs(Number(written)) > limit)
      fail(`${field}.coordinates.${axis}`, 'coordinate-range', `must be between -${limit} and ${limit} degrees`);
  }
}
