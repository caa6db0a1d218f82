export type {
  AirportCode,
  Carrier,
  CarrierIndicator,
  Container,
  CarrierGuide,
  Driver,
  Guide,
  GuideLine,
  GuideType,
  IdentityDocumentType,
  IssuingAuthority,
  Issuer,
  LineCustoms,
  Party,
  Place,
  PortCode,
  PortLocation,
  RelatedDocument,
  RelatedDocumentType,
  SenderGuide,
  SenderIndicator,
  Shipment,
  ShipmentIndicator,
  TransferReason,
  TransportMode,
  UnitCode,
  Vehicle,
  VehicleAuthorization,
  WeightUnit,
} from '@internal/sunat-kit';
export { GreValidationError } from './errors.js';
export { findGuideProblems, validateGuide } from './validate.js';
export { checkSunatObservations, checkSunatRules, relatedDocumentIssuer, TRANSFER_REASONS, type ObservationNote, type RuleFail } from '@internal/sunat-kit';
export { buildDespatchAdvice, DEFAULT_SIGNATURE_ID, guideFileBaseName } from './build.js';
export { C14N, ENVELOPED, signXml, type PemSigningKey, type PfxSigningKey, type SignatureAlgorithm, type SigningKey, type SignXmlOptions } from './sign.js';
export { submitGuide, type GuideSubmission, type GuideSubmitter, type SigningOptions, type SubmitCallOptions, type SubmitGuideOptions } from './submit.js';
