const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 8-4-4-4-12 hexadecimal, any case, any version (Sber does not say which versions it issues). */
export function isUuid(s: string): boolean {
  return typeof s === 'string' && UUID.test(s);
}

// Weights of the INN check digits (order of the Federal Tax Service, as published with the INN rules).
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const checkDigit = (digits: string, weights: readonly number[]): number => {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i]! * (digits.charCodeAt(i) - 48);
  return (sum % 11) % 10;
};

/**
 * The check digit(s) that complete an INN: one for a 9-digit prefix (organisation, 10 digits),
 * two for a 10-digit prefix (person or sole trader, 12 digits).
 */
export function innCheckDigits(prefix: string): string {
  if (/^\d{9}$/.test(prefix)) return String(checkDigit(prefix, W10));
  if (/^\d{10}$/.test(prefix)) {
    const d11 = String(checkDigit(prefix, W11));
    return d11 + String(checkDigit(prefix + d11, W12));
  }
  throw new TypeError('innCheckDigits expects 9 or 10 digits');
}

/** A Russian taxpayer number (INN) of 10 or 12 digits with correct check digit(s). */
export function isValidInn(inn: string): boolean {
  if (typeof inn !== 'string' || !/^(\d{10}|\d{12})$/.test(inn)) return false;
  const prefixLength = inn.length === 10 ? 9 : 10;
  return innCheckDigits(inn.slice(0, prefixLength)) === inn.slice(prefixLength);
}

/** `YYYY-MM-DD` naming a day that exists (years 0001–9999, Gregorian leap years). */
export function isIsoDate(s: string): boolean {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}
