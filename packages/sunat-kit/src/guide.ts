import type {
  AirportCode,
  IdentityDocumentType,
  IssuingAuthority,
  PortCode,
  RelatedDocumentType,
  ShipmentIndicator,
  TransferReason,
  TransportMode,
  UnitCode,
  WeightUnit,
} from './guide-codes.js';

/** Port or airport of embarkation/disembarkation (cac:FirstArrivalPortLocation), for reasons 08 and 09. */
export type PortLocation =
  | {
      /** A sea port. */
      kind: 'port';
      /** Its code, SUNAT catalogue 63. */
      code: PortCode;
    }
  | {
      /** An airport. */
      kind: 'airport';
      /** Its code, SUNAT catalogue 64. */
      code: AirportCode;
    };

/** A container (cac:TransportHandlingUnit/cac:Package) and its seal (precinto). */
export interface Container {
  /** 1 to 11 letters or digits (4071), not twice in a guide (3421). */
  number: string;
  /** 1 to 20 letters or digits, not all zeros (4074), not twice (3423). */
  seal?: string;
}

/** Customs data of a line (reasons 08/09 unless the whole declaration is moved). */
export interface LineCustoms {
  /** Number of the DAM or DS the goods are declared in (NNN-YYYY-RR-NNNNNN); must be one of the related 50/52 documents (3430). */
  declaration: string;
  /** The item's number (serie) in that declaration, 1 to 4 digits (3431). */
  item: number | string;
}

/** A person or company named on the guide: recipient, sender, buyer or seller. */
export interface Party {
  /** Catalogue 06 identity document type. */
  documentType: IdentityDocumentType;
  /** The document number (a RUC has 11 digits, a DNI 8). */
  documentNumber: string;
  /** Name or company name. */
  name: string;
}

/** The guide's issuer: the sender (09) or the carrier (31). Always a RUC. */
export interface Issuer {
  /** The issuer's RUC: 11 digits with a valid check digit. */
  ruc: string;
  /** The issuer's company name (razón social). */
  name: string;
  /**
   * 31: the carrier's MTC registration number, 1 to 20 letters or digits (4392); written in
   * Shipment/ShipmentStage/CarrierParty, where SUNAT reads it (4391 without it).
   */
  mtcRegistration?: string;
}

/** A start or arrival point. */
export interface Place {
  /** INEI ubigeo, 6 digits (department, province, district). */
  ubigeo: string;
  /** Street address. */
  address: string;
  /** SUNAT establishment code (4 digits) when the point is a registered establishment; needs `establishmentRuc`. */
  establishmentCode?: string;
  /** RUC that `establishmentCode` belongs to. */
  establishmentRuc?: string;
  /** The point's georeference (punto georreferenciado), written in cac:LocationCoordinate. */
  coordinates?: GeoPoint;
}

/**
 * A georeferenced point in decimal degrees (WGS 84). SUNAT takes up to 3 integer and 8 decimal digits with an
 * optional sign (3413); the package also refuses a latitude outside ±90 or a longitude outside ±180. A string keeps
 * the digits as given; a number is written with at most 8 decimals.
 */
export interface GeoPoint {
  /** Latitude, e.g. -12.0464 (Lima). */
  latitude: number | string;
  /** Longitude, e.g. -77.0428 (Lima). */
  longitude: number | string;
}

/** The public carrier of a 09 guide with transport mode '01'. */
export interface Carrier {
  /** The carrier's RUC (11 digits). */
  ruc: string;
  /** The carrier's company name. */
  name: string;
  /** The carrier's MTC registration number, when it has one. */
  mtcRegistration?: string;
}

/** A special authorisation of a vehicle (cac:ShipmentDocumentReference): its number and who issued it. */
export interface VehicleAuthorization {
  /** 3 to 50 characters (4406). */
  number: string;
  /** Issuing authority, SUNAT catalogue D37. */
  authority: IssuingAuthority;
}

/** A vehicle of the transfer. */
export interface Vehicle {
  /** Plate without dashes, e.g. "ABC123". */
  plate: string;
  /**
   * Tarjeta Única de Circulación or certificate of registration, 10 to 15 letters or digits (3355). On a 09 guide
   * only with the indicator SUNAT_Envio_IndicadorVehiculoConductoresTransp (3452); a 31 should carry it (4399).
   */
  circulationCard?: string;
  /** Special authorisation (SUCAMEC, SENASA, MTC…); on a 09 only where vehicles are given with their data (3452). */
  authorization?: VehicleAuthorization;
}

/** A driver of the transfer. */
export interface Driver {
  /** Catalogue 06 identity document type. */
  documentType: IdentityDocumentType;
  /** The driver's document number. */
  documentNumber: string;
  /** Given names. */
  firstNames: string;
  /** Family names. */
  lastNames: string;
  /** Driving licence number. */
  license: string;
  /** The first driver is 'Principal' unless said otherwise. */
  role?: 'Principal' | 'Secundario';
}

/** A document related to the transfer (invoice, customs declaration…). */
export interface RelatedDocument {
  /** Catalogue 61 document type. */
  type: RelatedDocumentType;
  /** e.g. "F001-123" for a factura. */
  number: string;
  /**
   * RUC of the related document's issuer. SUNAT requires it for types 01, 03, 04, 09, 12 and 48 (3380); when it is
   * left out the guide's issuer is written, or the recipient's RUC for a return (reason 06) of a 01/03/12 document,
   * which is what SUNAT checks (3381).
   */
  issuerRuc?: string;
}

/** One line of goods moved. */
export interface GuideLine {
  /** A positive decimal; strings keep the exact digits (up to 10 decimals). */
  quantity: number | string;
  /** UN/ECE rec 20 unit of measure, e.g. NIU (units) or KGM. */
  unitCode: UnitCode;
  /** What the goods are. */
  description: string;
  /** The seller's item code. */
  code?: string;
  /** UNSPSC product code (SUNAT's "código de producto"); SUNAT checks it against its catalogue 25 (3373). */
  sunatProductCode?: string;
  /** Reasons 08/09: the line's DAM/DS and its item number there (3427, 3428). */
  customs?: LineCustoms;
  /**
   * National tariff subheading (subpartida nacional, item property 7020): 1 to 10 digits, not all zeros (3377).
   * A guide that cites a deposit certificate (49 IVAP, 80 detracción) needs it on at least one line (3352).
   */
  tariffSubheading?: string;
}

/** The transfer: reason, mode, weights, route, vehicles and drivers. */
export interface Shipment {
  /** Catalogue 20; required for 09, optional for 31. */
  reason?: TransferReason;
  /** Free text, e.g. required by SUNAT when the reason is '13' (Otros). */
  reasonDescription?: string;
  /** Catalogue 18; required for 09, optional for 31. */
  mode?: TransportMode;
  /** Total gross weight, > 0. */
  grossWeight: number;
  /** Unit of `grossWeight` (and `netWeight`): KGM kilograms or TNE tonnes. */
  weightUnit: WeightUnit;
  /** Reasons 08/09: gross weight in kg of the items moved (SUNAT observes 4383 without it; refuses it, 3395, on other reasons). */
  netWeight?: number;
  /** Number of packages (bultos/pallets); reasons 08/09 need it (3419). */
  packages?: number;
  /** 09: containers (at most two on reasons 08/09, 3420), each with its seal (required on 08/09, 3422). */
  containers?: Container[];
  /** SpecialInstructions indicators: SenderIndicator on a 09 guide, CarrierIndicator on a 31. */
  indicators?: ShipmentIndicator[];
  /** Reasons 08/09: port or airport (with it, the start (08) or arrival (09, port only) needs no establishment code). */
  port?: PortLocation;
  /** YYYY-MM-DD: start of the transfer; in public transport (mode '01'), the date the goods are handed to the carrier. */
  startDate: string;
  /** Where the transfer starts (punto de partida). */
  start: Place;
  /** Where the transfer ends (punto de llegada). */
  arrival: Place;
  /** 09 with mode '01' (public transport): the carrier. */
  carrier?: Carrier;
  /** Main vehicle first; the others are attached (trailers). Required for 31 and for 09 mode '02'. */
  vehicles?: Vehicle[];
  /** Main driver first. Required for 31 and for 09 mode '02'. */
  drivers?: Driver[];
}

interface GuideBase {
  /** 4 characters: T### for 09, V### for 31 (letters allowed after the first, e.g. "VA28"). */
  series: string;
  /** 1 to 8 digits. */
  number: number | string;
  /** YYYY-MM-DD. */
  issueDate: string;
  /** HH:MM:SS (local Lima time). */
  issueTime: string;
  /** The issuer of the guide (the remitente for 09, the carrier for 31). */
  issuer: Issuer;
  /** The destinatario. */
  recipient: Party;
  /** 09, reason 03 (sale delivered to a third party): the buyer (cac:BuyerCustomerParty); SUNAT observes 4378 without it. */
  buyer?: Party;
  /** 09, reasons 02 and 07: the supplier (cac:SellerSupplierParty); SUNAT observes 4375 without it. */
  seller?: Party;
  /** Free-text observations (cbc:Note). */
  note?: string;
  /** Documents related to the transfer. */
  relatedDocuments?: RelatedDocument[];
  /** The transfer. */
  shipment: Shipment;
  /** The goods moved (none on a TrasladoTotalDAMoDS transfer). */
  lines: GuideLine[];
  /** UBL customization; SUNAT accepts '2.0' only (anything else is refused with 2112). Default '2.0'. */
  customizationId?: '2.0';
  /** Id shared by cac:Signature and ds:Signature; default 'SignSUNAT'. */
  signatureId?: string;
}

/** A guía de remisión remitente (09), issued by the owner of the goods. */
export interface SenderGuide extends GuideBase {
  /** Guía de remisión remitente. */
  type: '09';
}

/** A guía de remisión transportista (31), issued by the carrier. */
export interface CarrierGuide extends GuideBase {
  /** Guía de remisión transportista. */
  type: '31';
  /** The remitente (owner of the goods). */
  sender: Party;
  /**
   * With the indicator SUNAT_Envio_IndicadorTrasporteSubcontratado (and only with it): the carrier that
   * subcontracted this transport to the issuer (SUNAT's "empresa que subcontrata", the subcontratador), written in
   * Shipment/Consignment/LogisticsOperatorParty. A RUC other than the issuer's (3391, 3390).
   */
  subcontractor?: Subcontractor;
  /**
   * 31, with the indicator SUNAT_Envio_IndicadorPagadorFlete_Tercero (and only with it): the third party who pays
   * the freight, written in cac:OriginatorCustomerParty. SUNAT only observes its absence (4401, 4402, 4370); the
   * package requires it, as for the subcontractor. Document type in catalogue 06 (3399), number by type (3400).
   */
  freightPayer?: Party;
}

/** The company that subcontracted a 31's transport to its issuer. */
export interface Subcontractor {
  /** Its RUC (11 digits, valid check digit); not the issuer's (3390). */
  ruc: string;
  /** Its company name, at most 250 characters (4427). */
  name: string;
}

/** A typed GRE guide, 09 or 31 (discriminated by `type`). */
export type Guide = SenderGuide | CarrierGuide;
