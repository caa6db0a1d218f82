// SUNAT's consistency rules for GRE 2022, read from its validation stylesheets (ValidaExprRegGreRemitente-2.0.1.xsl,
// ValidaExprRegGreTransportista-2.0.1.xsl) and the catalogues they open. Pure data and functions over the typed
// guide: no I/O, no imports but types, so that it can be shared. Each rule names SUNAT's code; the test
// gre-sunat-xsl.test.ts runs SUNAT's stylesheets to hold this file to them.
import type { Guide, RelatedDocument, RelatedDocumentType, ShipmentIndicator, TransferReason } from './guide.js';

/** Catalogue 20 as SUNAT's stylesheets have it (no '19'). */
export const TRANSFER_REASONS: readonly TransferReason[] = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '13', '14', '17', '18'];

const byCode = (list: string): Readonly<Record<string, string>> =>
  Object.fromEntries(list.split(' ').map((e) => e.split(':') as [string, string]));
/** Catalogue 63 (ports) and 64 (airports), code → ubigeo: an import starts, an export ends, at that ubigeo (3364). */
export const PORTS = byCode(
  'PUB:200801 CLL:070101 CON:150119 CHY:150605 CHM:021801 EEN:140113 HCO:150801 HUY:021101 ILQ:180301 IQT:160101 MRI:040701 PAI:200501 ' +
    'PIO:110505 PCL:250101 PUN:210101 SVY:130109 SNX:110304 SUP:150204 TYL:200701 YMS:160201 ZOR:240103',
);
export const AIRPORTS = byCode(
  'AQP:040104 ANS:030201 ATA:020604 AYP:050113 CJA:060108 CHM:021809 CUZ:080108 CHH:010101 CIX:140101 HUU:100101 ILO:180301 IQT:160101 ' +
    'JAE:060802 JJI:220601 JUL:211101 JAU:120430 LIM:070101 MBP:220101 PIO:110506 PIU:200104 PCL:250105 PEM:170101 RIJ:220801 TCQ:230101 ' +
    'TYL:200701 TPP:220901 TIG:100601 TRU:130104 TBP:240101 ATG:250201 YMS:160201',
);

/** Catalogue 65: the units of measure customs uses, the only ones a line may have on reasons 08/09 (3446). */
export const CUSTOMS_UNITS: readonly string[] = [
  '126',
  '12U',
  '2U',
  '2U6',
  'AM',
  'BAL',
  'BID',
  'BLS',
  'BOB',
  'BOT',
  'BRR',
  'CAJ',
  'CIL',
  'CM',
  'CM2',
  'CM3',
  'CON',
  'CRT',
  'FDO',
  'FRC',
  'GAL',
  'GLE',
  'GR',
  'GRU',
  'HL',
  'HOJ',
  'JGS',
  'KG',
  'KG3',
  'KG6',
  'KGA',
  'KI',
  'KI6',
  'KIT',
  'KL6',
  'KL9',
  'KM',
  'KW3',
  'KW6',
  'KWH',
  'L',
  'L 6',
  'LAT',
  'LB',
  'M',
  'M 6',
  'M2',
  'M26',
  'M3',
  'M36',
  'MGA',
  'MGR',
  'ML',
  'MLL',
  'MM',
  'MM2',
  'MM3',
  'MU',
  'MWH',
  'OZ',
  'PAI',
  'PAL',
  'PAQ',
  'PL',
  'PLC',
  'PLG',
  'PS',
  'PS2',
  'PS3',
  'PST',
  'PUL',
  'PZA',
  'QQ',
  'QUT',
  'RAM',
  'RES',
  'ROL',
  'SAC',
  'SET',
  'TAM',
  'TC',
  'TCS',
  'TIR',
  'TL',
  'TLS',
  'TM',
  'TM3',
  'TMS',
  'TUB',
  'U',
  'U 3',
  'U 6',
  'U2',
  'U3',
  'U6',
  'YD',
  'YD2',
];

/** Catalogue 61, column gre-r / gre-t: which related documents each guide type may cite (2692). */
export const RELATED_TYPES_BY_GUIDE: Record<'09' | '31', readonly RelatedDocumentType[]> = {
  '09': ['01', '03', '04', '09', '12', '48', '49', '50', '52', '80'],
  '31': ['01', '03', '04', '09', '12', '31', '48', '50', '52', '80'],
};

/** Related documents whose issuer SUNAT requires, as a RUC (3380, 3382). */
const ISSUER_REQUIRED: Record<'09' | '31', ReadonlySet<string>> = {
  '09': new Set(['01', '03', '04', '09', '12', '48']),
  '31': new Set(['01', '03', '04', '09', '12', '31', '48']),
};
/** An electronic document's series starts with a letter (a paper one's with a digit). */
const electronic = (r: RelatedDocument): boolean => /^[A-Z]/.test(r.number);

/** cbc:ID format of each related document type (3441); 50/52 depend on the reason (regime 10/18 import, 40/48 export). */
export function relatedNumberFormat(type: RelatedDocumentType, reason: TransferReason | undefined, guideType: '09' | '31'): RegExp {
  const customs = (regime: string): RegExp => new RegExp(`^[0-9]{3}-[0-9]{4}-${regime}-[0-9]{1,6}$`);
  switch (type) {
    case '01':
      return /^(F[A-Z0-9]{3}|\d{1,4}|E001)-(?!0+$)\d{1,8}$/;
    case '03':
      return /^(B[A-Z0-9]{3}|\d{1,4}|EB01)-(?!0+$)\d{1,8}$/;
    case '04':
      return /^(L[A-Z0-9]{3}|\d{1,4}|E001)-(?!0+$)\d{1,8}$/;
    case '09':
      return /^(T[A-Z0-9]{3}|\d{1,4}|EG01|EG02)-(?!0+$)\d{1,8}$/;
    case '31':
      return /^(V[A-Z0-9]{3}|\d{1,4}|EG03)-(?!0+$)\d{1,8}$/;
    case '12':
      return /^[a-zA-Z0-9-]{1,20}-[a-zA-Z0-9-]{1,20}$/;
    case '48':
      return /^\d{1,4}-(?!0+$)\d{1,7}$/;
    case '49':
    case '80':
      return /^(?!0+$)\d{1,15}$/;
    case '50':
      return guideType === '09' && reason === '08'
        ? customs('10')
        : guideType === '09' && reason === '09'
          ? customs('40')
          : customs('[0-9]{2}');
    case '52':
      return guideType === '09' && reason === '08'
        ? customs('18')
        : guideType === '09' && reason === '09'
          ? customs('48')
          : customs('[0-9]{2}');
  }
}

/** The indicators each guide type may carry (3388). */
export const INDICATORS_BY_GUIDE: Record<'09' | '31', readonly ShipmentIndicator[]> = {
  '09': [
    'SUNAT_Envio_IndicadorTransbordoProgramado',
    'SUNAT_Envio_IndicadorTrasladoVehiculoM1L',
    'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio',
    'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
    'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS',
    'SUNAT_Envio_IndicadorVehiculoConductoresTransp',
  ],
  '31': [
    'SUNAT_Envio_IndicadorTransbordoProgramado',
    'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio',
    'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
    'SUNAT_Envio_IndicadorTrasporteSubcontratado',
    'SUNAT_Envio_IndicadorPagadorFlete_Remitente',
    'SUNAT_Envio_IndicadorPagadorFlete_Subcontratador',
    'SUNAT_Envio_IndicadorPagadorFlete_Tercero',
    'SUNAT_Envio_IndicadorTrasladoTotal',
  ],
};

/**
 * The issuer RUC written for a related document: the one given, else (for the types SUNAT needs it for) the
 * recipient's RUC when goods are returned (reason 06) against a 01/03/12, else the guide's issuer (3380, 3381).
 */
export function relatedDocumentIssuer(guide: Guide, r: RelatedDocument): string | undefined {
  if (r.issuerRuc !== undefined) return r.issuerRuc;
  if (!ISSUER_REQUIRED[guide.type]?.has(r.type)) return undefined;
  if (
    guide.type === '09' &&
    guide.shipment?.reason === '06' &&
    ['01', '03', '12'].includes(r.type) &&
    guide.recipient?.documentType === '6'
  )
    return guide.recipient.documentNumber;
  // 31: the sender issued its own guide (09) and usually the invoice; the carrier issued the 31.
  if (guide.type === '31' && r.type !== '31' && guide.sender?.documentType === '6') return guide.sender.documentNumber;
  return guide.issuer?.ruc;
}

export type RuleFail = (field: string, rule: string, message: string, sunatCode?: string) => void;

const has = (guide: Guide, indicator: ShipmentIndicator): boolean => (guide.shipment?.indicators ?? []).includes(indicator);

/**
 * The cross-field rules of SUNAT's stylesheets, for a guide whose fields each have the right format (see
 * validate.ts). Reports each broken rule through `fail`.
 */
export function checkSunatRules(guide: Guide, fail: RuleFail): void {
  const s = guide.shipment;
  const reason = s.reason;
  const type = guide.type;
  const issuerRuc = guide.issuer?.ruc;
  const recipientIsIssuer = guide.recipient?.documentType === '6' && guide.recipient.documentNumber === issuerRuc;
  const related = guide.relatedDocuments ?? [];
  const totalDam = has(guide, 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS');
  const customsReason = type === '09' && (reason === '08' || reason === '09');

  // Indicators: known for the guide type (3388), each once (3344), one freight payer at most (3344).
  const indicators = s.indicators ?? [];
  indicators.forEach((ind, i) => {
    if (!INDICATORS_BY_GUIDE[type].includes(ind))
      fail(`shipment.indicators[${i}]`, 'indicator', `is not an indicator of a ${type} guide`, '3388');
    else if (indicators.indexOf(ind) !== i) fail(`shipment.indicators[${i}]`, 'indicator-repeated', 'is given twice', '3344');
  });
  if (type === '31' && indicators.filter((i) => i.startsWith('SUNAT_Envio_IndicadorPagadorFlete_')).length > 1)
    fail('shipment.indicators', 'freight-payer', 'names more than one freight payer', '3344');
  if (totalDam && !customsReason && type === '09')
    fail('shipment.indicators', 'total-dam-reason', 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS goes only with reasons 08 and 09', '3392');

  // Related documents: allowed types (2692), no duplicates (3340), number format (3441), issuer (3381).
  related.forEach((r, i) => {
    const f = `relatedDocuments[${i}]`;
    if (!RELATED_TYPES_BY_GUIDE[type].includes(r.type))
      return fail(`${f}.type`, 'related-type', `cannot be cited by a ${type} guide (catalogue 61)`, '2692');
    if (related.findIndex((o) => o.type === r.type && o.number === r.number) !== i)
      fail(`${f}.number`, 'related-repeated', 'cites the same document twice', '3340');
    if (typeof r.number === 'string' && !relatedNumberFormat(r.type, reason, type).test(r.number))
      fail(`${f}.number`, 'related-number-format', `is not a number of a type ${r.type} document as SUNAT writes it`, '3441');
    const issuer = relatedDocumentIssuer(guide, r);
    if (type === '31') {
      if (r.type === '09' && electronic(r) && (guide.sender?.documentType !== '6' || issuer !== guide.sender.documentNumber))
        fail(`${f}.issuerRuc`, 'related-issuer', 'an electronic 09 must be issued by the sender (a RUC)', '3381');
      if (r.type === '31' && electronic(r) && issuer !== issuerRuc)
        fail(`${f}.issuerRuc`, 'related-issuer', 'an electronic 31 must be issued by the guide issuer', '3381');
      return;
    }
    if ((r.type === '49' || r.type === '80') && !totalDam)
      fail(
        `${f}.type`,
        'tariff-subheading',
        'needs lines with a national tariff subheading (property 7020), which this package does not write',
        '3352',
      );
    const mustBeSender =
      r.type === '09' ||
      ((reason === '01' || reason === '03') && ['01', '03', '12'].includes(r.type)) ||
      (reason === '02' && (r.type === '04' || r.type === '48'));
    if (mustBeSender && issuer !== issuerRuc)
      fail(`${f}.issuerRuc`, 'related-issuer', 'must be the guide issuer for this document type and reason', '3381');
    if (reason === '06' && ['01', '03', '12'].includes(r.type) && issuer !== guide.recipient?.documentNumber)
      fail(`${f}.issuerRuc`, 'related-issuer', 'must be the recipient for a return (reason 06) of this document type', '3381');
  });

  if (type === '31') {
    if (s.containers?.length) fail('shipment.containers', 'sender-only', 'SUNAT reads containers on a 09 guide only');
    // 31: one related document, two when one of them is a 31, more only with an electronic 09 (3345, 3346).
    const hasCarrierGuide = related.some((r) => r.type === '31');
    if (hasCarrierGuide && related.length > 2)
      fail('relatedDocuments', 'related-count', 'with a related 31, at most two related documents', '3345');
    if (!hasCarrierGuide && !related.some((r) => r.type === '09' && electronic(r)) && related.length > 1)
      fail('relatedDocuments', 'related-count', 'at most one related document, unless one is a 31 or an electronic 09', '3346');
    if (related.some((r) => r.type === '80'))
      fail(
        'relatedDocuments',
        'tariff-subheading',
        'a 80 needs lines with a national tariff subheading (property 7020), which this package does not write',
        '3352',
      );
  }

  if (type === '09') {
    // Recipient against the reason (2554, 2555, 3417).
    if ((reason === '02' || reason === '04' || reason === '07') && !recipientIsIssuer)
      fail('recipient', 'recipient-is-sender', `for reason ${reason} the recipient must be the sender (same RUC)`, '2554');
    if (reason !== undefined && ['01', '03', '05', '06', '09', '14', '17'].includes(reason) && recipientIsIssuer)
      fail('recipient', 'recipient-not-sender', `for reason ${reason} the recipient cannot be the sender`, '2555');
    if ((reason === '06' || reason === '17') && guide.recipient?.documentType !== '6')
      fail('recipient.documentType', 'recipient-ruc', `for reason ${reason} the recipient must have a RUC`, '3417');
    // Buyer (reason 03): not the sender (3334), not the recipient (3335).
    if (reason === '03' && guide.buyer?.documentType === '6' && guide.buyer.documentNumber === issuerRuc)
      fail('buyer', 'buyer-not-sender', 'cannot be the sender', '3334');
    if (
      reason === '03' &&
      guide.buyer &&
      guide.buyer.documentType === guide.recipient?.documentType &&
      guide.buyer.documentNumber === guide.recipient.documentNumber
    )
      fail('buyer', 'buyer-not-recipient', 'cannot be the recipient', '3335');
    // Supplier (reasons 02, 07): a DNI/CE/RUC/passport (02) or a RUC (07) (3447), not the sender (3448), and the
    // issuer of one of the related 01/03/12 when there are any (3442).
    if (reason === '02' && guide.seller && !['1', '4', '6', '7'].includes(guide.seller.documentType))
      fail('seller.documentType', 'seller-document', 'for reason 02 must be a DNI, CE, RUC or passport', '3447');
    if (reason === '07' && guide.seller && guide.seller.documentType !== '6')
      fail('seller.documentType', 'seller-document', 'for reason 07 must be a RUC', '3447');
    if ((reason === '02' || reason === '07') && guide.seller?.documentType === '6' && guide.seller.documentNumber === issuerRuc)
      fail('seller', 'seller-not-sender', 'cannot be the sender', '3448');
    const invoices = related.filter((r) => ['01', '03', '12'].includes(r.type));
    if (
      (reason === '02' || reason === '07') &&
      guide.seller &&
      invoices.length > 0 &&
      !invoices.some((r) => relatedDocumentIssuer(guide, r) === guide.seller!.documentNumber)
    )
      fail('seller', 'seller-issued-related', 'must be the issuer of one of the related invoices (01/03/12)', '3442');

    // Customs documents: 08/09 need a DAM/DS (3440) and cite only 09/49/50/52/80 (3445); others cite no DAM/DS.
    const customsDocs = related.filter((r) => r.type === '50' || r.type === '52');
    if (customsReason) {
      if (!totalDam && customsDocs.length === 0)
        fail('relatedDocuments', 'customs-declaration', `reason ${reason} needs the DAM (50) or DS (52)`, '3440');
      related.forEach((r, i) => {
        if (!['09', '49', '50', '52', '80'].includes(r.type))
          fail(`relatedDocuments[${i}].type`, 'related-type-reason', `cannot be cited on reason ${reason}`, '3445');
      });
    } else if (reason !== '13' && customsDocs.length > 0)
      fail('relatedDocuments', 'related-type-reason', 'a DAM/DS is cited only on reasons 08, 09 and 13', '3445');

    // Establishments (3411, 3414, 3365, 3369).
    const start = s.start;
    const arrival = s.arrival;
    if (
      start?.establishmentRuc !== undefined &&
      (reason === '02' || reason === '07' || reason === '08') &&
      start.establishmentRuc === issuerRuc
    )
      fail(
        'shipment.start.establishmentRuc',
        'establishment-owner',
        `for reason ${reason} the start is not the sender's establishment`,
        '3411',
      );
    if (
      arrival?.establishmentRuc !== undefined &&
      reason !== undefined &&
      ['01', '03', '05', '06', '14', '17'].includes(reason) &&
      arrival.establishmentRuc === issuerRuc
    )
      fail(
        'shipment.arrival.establishmentRuc',
        'establishment-owner',
        `for reason ${reason} the arrival is not the sender's establishment`,
        '3411',
      );
    if (reason === '04') {
      if (start?.establishmentCode === undefined)
        fail(
          'shipment.start.establishmentCode',
          'establishment-required',
          'reason 04 moves goods between establishments: give the start one',
          '3365',
        );
      else if (start.establishmentRuc !== issuerRuc)
        fail('shipment.start.establishmentRuc', 'establishment-owner', "reason 04: must be the sender's RUC", '3414');
      if (arrival?.establishmentCode === undefined)
        fail(
          'shipment.arrival.establishmentCode',
          'establishment-required',
          'reason 04 moves goods between establishments: give the arrival one',
          '3369',
        );
      else if (arrival.establishmentRuc !== issuerRuc)
        fail('shipment.arrival.establishmentRuc', 'establishment-owner', "reason 04: must be the sender's RUC", '3414');
    }
    if (reason === '08' && s.port === undefined && start?.establishmentCode === undefined)
      fail(
        'shipment.start.establishmentCode',
        'establishment-required',
        'an import (08) starts at a port/airport (shipment.port) or an establishment',
        '3365',
      );
    if (reason === '09' && s.port?.kind !== 'port' && arrival?.establishmentCode === undefined)
      fail(
        'shipment.arrival.establishmentCode',
        'establishment-required',
        'an export (09) ends at a port (shipment.port) or an establishment',
        '3369',
      );

    if (reason === '18' && arrival?.establishmentCode !== undefined)
      fail('shipment.arrival.establishmentCode', 'no-establishment', 'reason 18 has no arrival establishment', '3416');
    // Import/export data: port in its catalogue (3459/3460) at the start (08) / arrival (09) ubigeo (3364),
    // packages (3419), net weight only there (3395).
    if (s.port !== undefined) {
      const ubigeo = (s.port.kind === 'port' ? PORTS : AIRPORTS)[s.port.code];
      if (ubigeo === undefined || !Object.hasOwn(s.port.kind === 'port' ? PORTS : AIRPORTS, s.port.code))
        fail(
          'shipment.port.code',
          'catalog-63-64',
          `is not in SUNAT's catalogue ${s.port.kind === 'port' ? '63 (ports)' : '64 (airports)'}`,
          s.port.kind === 'port' ? '3459' : '3460',
        );
      // (An export checks a port only: an airport does not end it, 3369.)
      else if ((reason === '08' || (reason === '09' && s.port.kind === 'port')) && (reason === '08' ? start : arrival)?.ubigeo !== ubigeo)
        fail(
          `shipment.${reason === '08' ? 'start' : 'arrival'}.ubigeo`,
          'port-ubigeo',
          `must be the ubigeo of ${s.port.code} (${ubigeo})`,
          '3364',
        );
    }
    const containers = s.containers ?? [];
    if (customsReason && s.packages === undefined && containers.length === 0)
      fail('shipment.packages', 'packages-required', `reason ${reason} needs the number of packages or the containers`, '3419');
    if (customsReason && containers.length > 2) fail('shipment.containers', 'container-count', 'at most two containers', '3420');
    containers.forEach((c, i) => {
      if (containers.findIndex((o) => o.number === c.number) !== i)
        fail(`shipment.containers[${i}].number`, 'container-repeated', 'is given twice', '3421');
      if (c.seal !== undefined && containers.findIndex((o) => o.seal === c.seal) !== i)
        fail(`shipment.containers[${i}].seal`, 'seal-repeated', 'is given twice', '3423');
      if (customsReason && c.seal === undefined)
        fail(`shipment.containers[${i}].seal`, 'seal-required', `reason ${reason} needs each container's seal`, '3422');
    });
    if (!customsReason && s.netWeight !== undefined)
      fail('shipment.netWeight', 'net-weight-reason', 'is given only on reasons 08 and 09', '3395');

    // Vehicles, drivers and carrier by mode and indicators (2558, 2566, 3357, 3347, 3354, 3453, 3455, 3450, 3451, 3452).
    const m1l = has(guide, 'SUNAT_Envio_IndicadorTrasladoVehiculoM1L');
    const carriersVehicles = has(guide, 'SUNAT_Envio_IndicadorVehiculoConductoresTransp');
    const vehicles = s.vehicles ?? [];
    const drivers = s.drivers ?? [];
    const needsVehicle = !m1l && (s.mode === '02' || carriersVehicles);
    const noCrew = m1l || (s.mode === '01' && !carriersVehicles);
    if (s.mode === '02' && carriersVehicles)
      fail('shipment.indicators', 'private-carrier-vehicles', "private transport (mode '02') has no carrier's vehicles", '3450');
    if (s.mode === '01' && carriersVehicles && m1l)
      fail(
        'shipment.indicators',
        'm1l-carrier-vehicles',
        'the M1/L indicator and the carrier’s-vehicles indicator exclude each other',
        '3451',
      );
    if (s.mode === '01' && !m1l && s.carrier === undefined)
      fail('shipment.carrier', 'carrier-required', "public transport (mode '01') needs the carrier", '2558');
    if (s.mode === '02' && s.carrier !== undefined)
      fail('shipment.carrier', 'private-no-carrier', "private transport (mode '02') has no carrier", '3347');
    if (needsVehicle && vehicles.length === 0)
      fail('shipment.vehicles', 'vehicle-required', 'the transport needs its main vehicle', '2566');
    if (needsVehicle && drivers.length === 0) fail('shipment.drivers', 'driver-required', 'the transport needs its main driver', '3357');
    if (s.mode === '01' && !m1l && !carriersVehicles && vehicles.length > 0)
      fail('shipment.vehicles', 'no-vehicle', "public transport gives no vehicle unless the carrier's vehicles indicator is set", '3354');
    if (noCrew && vehicles.length > 1)
      fail(
        'shipment.vehicles',
        'no-attached-vehicle',
        'no attached vehicles for this transport (M1/L, or public without the carrier’s vehicles)',
        '3453',
      );
    if (noCrew && drivers.length > 0)
      fail('shipment.drivers', 'no-driver', 'no drivers for this transport (M1/L, or public without the carrier’s vehicles)', '3455');
    // The TUC only with the carrier's vehicles (3452 main, 3454 attached); authorisations only where a crew is given.
    if (!carriersVehicles)
      vehicles.forEach((v, i) => {
        if (v?.circulationCard !== undefined)
          fail(
            `shipment.vehicles[${i}].circulationCard`,
            'no-vehicle-registration',
            'a 09 guide carries it only with the indicator SUNAT_Envio_IndicadorVehiculoConductoresTransp',
            i === 0 ? '3452' : '3454',
          );
      });
    if (noCrew && vehicles[0]?.authorization !== undefined)
      fail(
        'shipment.vehicles[0].authorization',
        'no-vehicle-registration',
        'no vehicle authorisation for this transport (M1/L, or public without the carrier’s vehicles)',
        '3452',
      );
    // The start date may precede the issue date only as an observation (4386) in public transport.
    if (
      (s.mode === '02' || m1l || carriersVehicles) &&
      typeof s.startDate === 'string' &&
      typeof guide.issueDate === 'string' &&
      s.startDate < guide.issueDate
    )
      fail('shipment.startDate', 'start-after-issue', 'cannot be before the issue date', '3343');
  }

  // Lines: at most 9999 (2023); on 08/09 customs units (3446) and per-line customs data (3427, 3428, 3430).
  const lines = Array.isArray(guide.lines) ? guide.lines : [];
  if (lines.length > 9999) fail('lines', 'line-count', 'at most 9999 lines (cbc:ID has 4 digits)', '2023');
  lines.forEach((l, i) => {
    if (l?.customs !== undefined && !/^[0-9]{3}-[0-9]{4}-[0-9]{2}-[0-9]{1,6}$/.test(l.customs.declaration))
      fail(`lines[${i}].customs.declaration`, 'customs-number', 'must be a DAM/DS number NNN-YYYY-RR-NNNNNN', '2769');
    if (l?.customs !== undefined && !/^(?!0+$)[0-9]{1,4}$/.test(String(l.customs.item)))
      fail(`lines[${i}].customs.item`, 'customs-item', 'must be 1 to 4 digits, not 0', '3431');
    if (!customsReason || totalDam) return;
    if (!CUSTOMS_UNITS.includes(l?.unitCode))
      fail(`lines[${i}].unitCode`, 'catalog-65', `reason ${reason}: must be a customs unit of SUNAT catalogue 65`, '3446');
    if (l?.customs === undefined)
      fail(`lines[${i}].customs`, 'customs-required', `reason ${reason}: needs the line's DAM/DS and item number`, '3427');
    else if (!related.some((r) => (r.type === '50' || r.type === '52') && r.number === l.customs!.declaration))
      fail(`lines[${i}].customs.declaration`, 'customs-related', 'must be one of the related DAM (50) / DS (52) documents', '3430');
  });
}

/** Reports an observation: SUNAT accepts the guide and writes the code in the CDR's notes. */
export type ObservationNote = (field: string, message: string, sunatCode: string) => void;

/**
 * The observations (codes 4000+, `isError = false()` in SUNAT's stylesheets) that the same stylesheets give an
 * accepted guide: SUNAT still accepts it and lists them in the CDR. A second list next to `checkSunatRules`.
 */
export function checkSunatObservations(guide: Guide, note: ObservationNote): void {
  const s = guide.shipment;
  const reason = s.reason;
  const m1l = has(guide, 'SUNAT_Envio_IndicadorTrasladoVehiculoM1L');
  const carriersVehicles = has(guide, 'SUNAT_Envio_IndicadorVehiculoConductoresTransp');
  const publicTransport = s.mode === '01' && !m1l;
  const vehicles = s.vehicles ?? [];
  if (guide.type === '09') {
    if ((reason === '02' || reason === '07') && guide.seller === undefined) note('seller', `reason ${reason} names the supplier`, '4375');
    if (reason === '03' && guide.buyer === undefined) note('buyer', 'reason 03 names the buyer', '4378');
    // Public transport without the carrier's vehicles: a start date before the issue date is only observed (else 3343).
    if (
      publicTransport &&
      !carriersVehicles &&
      typeof s.startDate === 'string' &&
      typeof guide.issueDate === 'string' &&
      s.startDate < guide.issueDate
    )
      note('shipment.startDate', 'the goods were handed to the carrier before the issue date', '4386');
    if (publicTransport && s.carrier?.mtcRegistration === undefined)
      note('shipment.carrier.mtcRegistration', "the carrier's MTC registration is missing", '4391');
    if (publicTransport && carriersVehicles)
      vehicles.forEach((v, i) => {
        if (v?.circulationCard === undefined)
          note(`shipment.vehicles[${i}].circulationCard`, 'the vehicle has no TUC or registration certificate', '4399');
      });
    return;
  }
  if (guide.issuer?.mtcRegistration === undefined) note('issuer.mtcRegistration', "the carrier's MTC registration is missing", '4391');
  if (vehicles[0] !== undefined && vehicles[0].circulationCard === undefined)
    note('shipment.vehicles[0].circulationCard', 'the main vehicle has no TUC or registration certificate', '4399');
}
