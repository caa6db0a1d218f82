// The SUNAT catalogue codes the guide model uses, as unions (catalogues 01, 06, 18, 20, 61, 63, 64, D37, indicators).

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

/** Unit of the gross weight (UN/ECE rec. 20): kilograms or tonnes, the two SUNAT accepts. */
export type WeightUnit = 'KGM' | 'TNE';

/** UN/ECE rec. 20 unit of a line; the usual ones are listed, any other code is allowed. */
export type UnitCode = 'NIU' | 'ZZ' | 'KGM' | 'TNE' | 'LTR' | 'MTR' | 'BX' | 'PK' | 'SET' | (string & {});
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
