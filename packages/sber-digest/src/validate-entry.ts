/** `sber-digest/validate`: INN, UUID and date checks without the CMS/PKI libraries (bundle it anywhere). */
export { innCheckDigits, isIsoDate, isUuid, isValidInn } from './checks.js';
