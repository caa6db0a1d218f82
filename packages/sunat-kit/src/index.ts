export type * from './guide.js';
export { isValidRuc } from './ruc.js';
export { checkSunatObservations, checkSunatRules, relatedDocumentIssuer, TRANSFER_REASONS, type ObservationNote, type RuleFail } from './sunat-rules.js';
export { readSingleEntryZip, type SingleEntryZip, type SingleEntryZipLimits, type ZipRule } from './zip.js';
