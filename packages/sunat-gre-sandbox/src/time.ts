/** Lima has no daylight saving: UTC−5 all year. */
const LIMA_OFFSET_MS = -5 * 3600_000;

/** `YYYY-MM-DDTHH:mm:ss.sss` in Lima time, without an offset, as SUNAT writes its dates. */
export function limaIso(date: Date): string {
  return new Date(date.getTime() + LIMA_OFFSET_MS).toISOString().slice(0, 23);
}

/** SUNAT's `fecRecepcion`: Lima time to the second, no offset. */
export function limaSeconds(date: Date): string {
  return limaIso(date).slice(0, 19);
}
