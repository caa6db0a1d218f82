const RUC_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** SUNAT's RUC: 11 digits, the last a modulo-11 check digit over the first ten (11 → 1, 10 → 0, as SUNAT computes it). */
export function isValidRuc(ruc: string): boolean {
  if (typeof ruc !== 'string' || !/^\d{11}$/.test(ruc)) return false;
  const sum = RUC_WEIGHTS.reduce((acc, w, i) => acc + w * Number(ruc[i]), 0);
  return (11 - (sum % 11)) % 10 === Number(ruc[10]);
}
