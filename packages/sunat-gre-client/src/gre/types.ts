/** SUNAT catalogue 01 (document type) restricted to the two dispatch guides. 09 remitente, 31 transportista. */
export type GuideType = '09' | '31';

/** SUNAT catalogue 20: reason for transfer (motivo de traslado), GRE 2022. */
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
  | '18' // Traslado emisor itinerante CP
  | '19'; // Traslado a zona primaria

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

/** Unit of the gross weight (UN/ECE rec. 20): kilograms or tonnes, the two SUNAT accepts. */
export type WeightUnit = 'KGM' | 'TNE';

/** UN/ECE rec. 20 unit of a line; the usual ones are listed, any other code is allowed. */
export type UnitCode = 'NIU' | 'ZZ' | 'KGM' | 'TNE' | 'LTR' | 'MTR' | 'BX' | 'PK' | 'SET' | (string & {});

/** A person or company identified by a catalogue 06 document. */
export interface Party {
  documentType: IdentityDocumentType;
  documentNumber: string;
  name: string;
}

/** The guide's issuer: the sender (09) or the carrier (31). Always a RUC. */
export interface Issuer {
  ruc: string;
  name: string;
  /** 31: the carrier's MTC registration number (cbc:CompanyID). */
  mtcRegistration?: string;
}

/** A start or arrival point. */
export interface Place {
  /** INEI ubigeo, 6 digits (department, province, district). */
  ubigeo: string;
  address: string;
  /** SUNAT establishment code (4 digits) when the point is a registered establishment; needs `establishmentRuc`. */
  establishmentCode?: string;
  establishmentRuc?: string;
}

export interface Carrier {
  ruc: string;
  name: string;
  mtcRegistration?: string;
}

export interface Vehicle {
  /** Plate without dashes, e.g. "ABC123". */
  plate: string;
  /** Tarjeta Única de Circulación or certificate of registration. */
  circulationCard?: string;
}

export interface Driver {
  documentType: IdentityDocumentType;
  documentNumber: string;
  firstNames: string;
  lastNames: string;
  license: string;
  /** The first driver is 'Principal' unless said otherwise. */
  role?: 'Principal' | 'Secundario';
}

export interface RelatedDocument {
  type: RelatedDocumentType;
  /** e.g. "F001-123" for a factura. */
  number: string;
  /** RUC of the related document's issuer, when it is not the guide's issuer. */
  issuerRuc?: string;
}

export interface GuideLine {
  /** A positive decimal; strings keep the exact digits (up to 10 decimals). */
  quantity: number | string;
  unitCode: UnitCode;
  description: string;
  /** The seller's item code. */
  code?: string;
  /** UNSPSC product code (SUNAT's "código de producto"). */
  sunatProductCode?: string;
}

export interface Shipment {
  /** Catalogue 20; required for 09, optional for 31. */
  reason?: TransferReason;
  /** Free text, e.g. required by SUNAT when the reason is '13' (Otros). */
  reasonDescription?: string;
  /** Catalogue 18; required for 09, optional for 31. */
  mode?: TransportMode;
  /** Total gross weight, > 0. */
  grossWeight: number;
  weightUnit: WeightUnit;
  packages?: number;
  /** YYYY-MM-DD, start of the transfer (or delivery to the carrier). */
  startDate: string;
  start: Place;
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
  issuer: Issuer;
  recipient: Party;
  note?: string;
  relatedDocuments?: RelatedDocument[];
  shipment: Shipment;
  lines: GuideLine[];
  /** UBL customization; SUNAT accepts '2.0' only (anything else is refused with 2112). Default '2.0'. */
  customizationId?: '2.0';
  /** Id shared by cac:Signature and ds:Signature; default 'SignSUNAT'. */
  signatureId?: string;
}

/** Guía de remisión remitente (09): issued by the owner of the goods. */
export interface SenderGuide extends GuideBase {
  type: '09';
}

/** Guía de remisión transportista (31): issued by the carrier; names the sender, the vehicles and the drivers. */
export interface CarrierGuide extends GuideBase {
  type: '31';
  /** The remitente (owner of the goods). */
  sender: Party;
}

export type Guide = SenderGuide | CarrierGuide;
