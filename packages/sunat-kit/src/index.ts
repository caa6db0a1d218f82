export type * from './guide.js';
export { isValidRuc } from './ruc.js';
export {
  checkSunatObservations,
  checkSunatRules,
  type ObservationNote,
  type RuleFail,
  relatedDocumentIssuer,
  TRANSFER_REASONS,
} from './sunat-rules.js';
export { readSingleEntryZip, type SingleEntryZip, type SingleEntryZipLimits, type ZipRule } from './zip.js';
