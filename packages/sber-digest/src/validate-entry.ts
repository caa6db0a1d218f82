/** `sber-digest/validate`: INN, UUID and date checks without the CMS/PKI libraries (bundle it anywhere). */
export { isUuid, isValidInn, isIsoDate, innCheckDigits } from './checks';
