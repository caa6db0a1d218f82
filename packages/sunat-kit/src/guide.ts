/** SUNAT catalogue 01 (document type) restricted to the two dispatch guides. 09 remitente, 31 transportista. */
export type GuideType = '09' | '31';

/**
 * SUNAT catalogue 20: reason for transfer (motivo de traslado), GRE 2022, as SUNAT's validation stylesheets list
 * it (`cat_20.xml`). '19' (traslado a zona primaria) is not in it: SUNAT refuses it with 3405.
 */
export type TransferReason =
  | '01' // Venta
  | '02' // Compra
  | '03' // Venta con entrega a terceros
  | '04' // Traslado entre establecimientos de la misma empresa
  | '05' // Consignación
  | '06' // Devolución
  | '07' // Recojo de bienes transformados
  | '08' // Importación
  | '09' // Exportación
  | '13' // Otros
  | '14' // Venta sujeta a confirmación del comprador
  | '17' // Traslado de bienes para transformación
  | '18'; // Traslado emisor itinerante CP

/** SUNAT catalogue 18: transport mode (modalidad de traslado). */
export type TransportMode =
  | '01' // Transporte público: a carrier moves the goods
  | '02'; // Transporte privado: the sender's own vehicles and drivers

/** SUNAT catalogue 06: identity document type. */
export type IdentityDocumentType =
  | '0' // Doc. trib. no dom. sin RUC
  | '1' // DNI
  | '4' // Carné de extranjería
  | '6' // RUC
  | '7' // Pasaporte
  | 'A' // Cédula diplomática de identidad
  | 'B' // Doc. identidad país residencia - no domiciliado
  | 'C' // TIN
  | 'D' // IN
  | 'E' // TAM
  | 'F' // Permiso temporal de permanencia
  | 'G'; // Salvoconducto

/** SUNAT catalogue 61: documents related to the transport (the common ones). */
export type RelatedDocumentType =
  | '01' // Factura
  | '03' // Boleta de venta
  | '04' // Liquidación de compra
  | '09' // Guía de remisión remitente
  | '12' // Ticket o cinta emitido por máquina registradora
  | '31' // Guía de remisión transportista
  | '48' // Comprobante de operaciones - Ley N° 29972
  | '49' // Constancia de depósito - IVAP (Ley 28211)
  | '50' // Declaración aduanera de mercancías
  | '52' // Declaración simplificada (DS)
  | '80'; // Constancia de depósito - detracción

/**
 * `cbc:SpecialInstructions` indicators a 09 guide may carry (SUNAT refuses others with 3388, twice with 3344).
 * - TransbordoProgramado: scheduled transshipment.
 * - TrasladoVehiculoM1L: the goods travel in an M1 or L category vehicle (no vehicle/driver data needed).
 * - RetornoVehiculoEnvaseVacio / RetornoVehiculoVacio: return of the vehicle with empty containers / empty.
 * - TrasladoTotalDAMoDS: transfer of a whole customs declaration (DAM or DS): no lines, no per-line customs data.
 * - VehiculoConductoresTransp: public transport (mode '01') with the carrier's vehicles and drivers given.
 */
export type SenderIndicator =
  | 'SUNAT_Envio_IndicadorTransbordoProgramado'
  | 'SUNAT_Envio_IndicadorTrasladoVehiculoM1L'
  | 'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio'
  | 'SUNAT_Envio_IndicadorRetornoVehiculoVacio'
  | 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS'
  | 'SUNAT_Envio_IndicadorVehiculoConductoresTransp';

/**
 * `cbc:SpecialInstructions` indicators a 31 guide may carry: scheduled transshipment, return empty, subcontracted
 * transport, who pays the freight (one of Remitente / Subcontratador / Tercero; SUNAT observes 4388 without one),
 * and total transfer (TrasladoTotal).
 */
export type CarrierIndicator =
  | 'SUNAT_Envio_IndicadorTransbordoProgramado'
  | 'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio'
  | 'SUNAT_Envio_IndicadorRetornoVehiculoVacio'
  | 'SUNAT_Envio_IndicadorTrasporteSubcontratado'
  | 'SUNAT_Envio_IndicadorPagadorFlete_Remitente'
  | 'SUNAT_Envio_IndicadorPagadorFlete_Subcontratador'
  | 'SUNAT_Envio_IndicadorPagadorFlete_Tercero'
  | 'SUNAT_Envio_IndicadorTrasladoTotal';

/** Any SpecialInstructions indicator: {@link SenderIndicator} on a 09, {@link CarrierIndicator} on a 31. */
export type ShipmentIndicator = SenderIndicator | CarrierIndicator;

/** SUNAT catalogue 63 (ports) and 64 (airports): where imported goods arrive or exported goods leave. */
export type PortCode =
  | 'PUB'
  | 'CLL'
  | 'CON'
  | 'CHY'
  | 'CHM'
  | 'EEN'
  | 'HCO'
  | 'HUY'
  | 'ILQ'
  | 'IQT'
  | 'MRI'
  | 'PAI'
  | 'PIO'
  | 'PCL'
  | 'PUN'
  | 'SVY'
  | 'SNX'
  | 'SUP'
  | 'TYL'
  | 'YMS'
  | 'ZOR';
/** SUNAT catalogue 64: airports where imported goods arrive or exported goods leave. */
export type AirportCode =
  | 'AQP'
  | 'ANS'
  | 'ATA'
  | 'AYP'
  | 'CJA'
  | 'CHM'
  | 'CUZ'
  | 'CHH'
  | 'CIX'
  | 'HUU'
  | 'ILO'
  | 'IQT'
  | 'JAE'
  | 'JJI'
  | 'JUL'
  | 'JAU'
  | 'LIM'
  | 'MBP'
  | 'PIO'
  | 'PIU'
  | 'PCL'
  | 'PEM'
  | 'RIJ'
  | 'TCQ'
  | 'TYL'
  | 'TPP'
  | 'TIG'
  | 'TRU'
  | 'TBP'
  | 'ATG'
  | 'YMS';
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

/** Unit of the gross weight (UN/ECE rec. 20): kilograms or tonnes, the two SUNAT accepts. */
export type WeightUnit = 'KGM' | 'TNE';

/** UN/ECE rec. 20 unit of a line; the usual ones are listed, any other code is allowed. */
export type UnitCode = 'NIU' | 'ZZ' | 'KGM' | 'TNE' | 'LTR' | 'MTR' | 'BX' | 'PK' | 'SET' | (string & {});

/** A person or company identified by a catalogue 06 document. */
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

/** SUNAT catalogue D37: the authority that issued a special vehicle authorisation. */
export type IssuingAuthority =
  | '01' // SUCAMEC
  | '02' // DIGEMID
  | '03' // DIGESA
  | '04' // SENASA
  | '05' // SERFOR
  | '06' // MTC
  | '07' // PRODUCE
  | '08' // MINAM
  | '09' // SANIPES
  | '10' // Municipalidad Metropolitana de Lima
  | '11' // MINSA
  | '12'; // Gobierno Regional

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

/** Guía de remisión remitente (09): issued by the owner of the goods. */
/** A guía de remisión remitente (09), issued by the owner of the goods. */
export interface SenderGuide extends GuideBase {
  /** Guía de remisión remitente. */
  type: '09';
}

/** Guía de remisión transportista (31): issued by the carrier; names the sender, the vehicles and the drivers. */
/** A guía de remisión transportista (31), issued by the carrier. */
export interface CarrierGuide extends GuideBase {
  /** Guía de remisión transportista. */
  type: '31';
  /** The remitente (owner of the goods). */
  sender: Party;
}

/** A typed GRE guide, 09 or 31 (discriminated by `type`). */
export type Guide = SenderGuide | CarrierGuide;
