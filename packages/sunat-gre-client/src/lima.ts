/** Lima has no daylight saving time: UTC−05:00 all year. */
const LIMA_OFFSET_MS = 5 * 3600_000;

/**
 * SUNAT's `fecRecepcion` ("2022-04-11T15:37:41", Lima local time, no offset) as a Date. An explicit offset or
 * `Z`, if SUNAT ever sends one, wins. Undefined when the text is not such a date.
 */
export function parseLimaDateTime(raw: unknown): Date | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offsetMs = LIMA_OFFSET_MS;
  if (zone === 'Z') offsetMs = 0;
  else if (zone) {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMs = -(z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600_000 + Number(z[3]) * 60_000);
  }
  return new Date(utc + offsetMs);
}
