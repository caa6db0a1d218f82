import { isValidRuc } from '@internal/sunat-kit';
import { SunatAuthValidationError } from './errors.js';

// One RUC check for the client, the sandbox and this package (@internal/sunat-kit, inlined at build).
export { isValidRuc };

export function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SunatAuthValidationError(field, 'must be a non-empty string');
  if (/[\r\n\t]/.test(value)) throw new SunatAuthValidationError(field, 'must not contain control characters');
  return value;
}

export function requireRuc(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\d{11}$/.test(value)) throw new SunatAuthValidationError(field, 'must be 11 digits');
  if (!isValidRuc(value))
    throw new SunatAuthValidationError(field, 'check digit does not match (SUNAT modulo 11, weights 5,4,3,2,7,6,5,4,3,2)');
  return value;
}

export function optionalNumber(field: string, value: unknown, min: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value)))
    throw new SunatAuthValidationError(field, `must be a${integer ? 'n integer' : ' finite number'} >= ${min}`);
  return value;
}

export function requireUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SunatAuthValidationError(field, 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SunatAuthValidationError(field, 'must be an http(s) URL');
  if (url.username || url.password) throw new SunatAuthValidationError(field, 'must not contain credentials');
  return value.replace(/\/+$/, '');
}
