import type { Driver, Guide, IdentityDocumentType, Party, Place, RelatedDocumentType, TransportMode } from '@internal/sunat-kit';
import { checkSunatPatterns, checkSunatRules, TRANSFER_REASONS } from '@internal/sunat-kit';
import { isValidRuc } from '../validate.js';
import { GreValidationError } from './errors.js';

const TRANSPORT_MODES: readonly TransportMode[] = ['01', '02'];
const IDENTITY_TYPES: readonly IdentityDocumentType[] = ['0', '1', '4', '6', '7', 'A', 'B', 'C', 'D', 'E', 'F', 'G'];
const RELATED_TYPES: readonly RelatedDocumentType[] = ['01', '03', '04', '09', '12', '31', '48', '49', '50', '52', '80'];

/** YYYY-MM-DD that names a real calendar day. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

// Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every problem SUNAT (or XML itself) would have with the guide, in document order; empty when it is fine. */
export function findGuideProblems(guide: Guide): GreValidationError[] {
  const out: GreValidationError[] = [];
  const fail = (field: string, rule: string, message: string, sunatCode?: string): void => {
    out.push(new GreValidationError(field, rule, message, sunatCode));
  };
  const text = (field: string, value: unknown, max: number, required = true, sunatCode?: string): void => {
    if (value === undefined || value === null || value === '') {
      if (required) fail(field, 'required', 'is required', sunatCode);
      return;
    }
    if (typeof value !== 'string') return fail(field, 'type', 'must be a string');
    if (required && value.trim() === '') return fail(field, 'required', 'must not be blank', sunatCode);
    if (value.length > max) fail(field, 'max-length', `must be at most ${max} characters`);
    if (NOT_XML.test(value)) fail(field, 'xml-char', 'contains a character XML 1.0 cannot carry (control character or lone surrogate)');
  };
  const ruc = (field: string, value: unknown, sunatCode?: string): void => {
    if (typeof value !== 'string' || !/^\d{11}$/.test(value)) return fail(field, 'ruc-format', 'must be a RUC of 11 digits', sunatCode);
    if (!isValidRuc(value)) fail(field, 'ruc-check-digit', 'has a wrong RUC check digit (modulo 11)', sunatCode);
  };
  const date = (field: string, value: unknown, sunatCode?: string): void => {
    if (typeof value !== 'string' || !isIsoDate(value)) fail(field, 'date-format', 'must be a date YYYY-MM-DD', sunatCode);
  };
  const party = (field: string, p: Party | undefined, codes: { type?: string; id?: string } = {}): void => {
    if (!p || typeof p !== 'object') return fail(field, 'required', 'is required', codes.id);
    if (!IDENTITY_TYPES.includes(p.documentType))
      fail(`${field}.documentType`, 'catalog-06', 'must be an identity document type of SUNAT catalogue 06', codes.type);
    if (p.documentType === '6') ruc(`${field}.documentNumber`, p.documentNumber, codes.id);
    else if (p.documentType === '1' && !/^\d{8}$/.test(String(p.documentNumber)))
      fail(`${field}.documentNumber`, 'dni-format', 'must be a DNI of 8 digits', codes.id);
    else text(`${field}.documentNumber`, p.documentNumber, 15, true, codes.id);
    text(`${field}.name`, p.name, 250);
  };
  const place = (field: string, p: Place | undefined, addressCode?: string): void => {
    if (!p || typeof p !== 'object') return fail(field, 'required', 'is required', '2775');
    if (typeof p.ubigeo !== 'string' || !/^\d{6}$/.test(p.ubigeo))
      fail(`${field}.ubigeo`, 'ubigeo-format', 'must be an INEI ubigeo of 6 digits', '2776');
    text(`${field}.address`, p.address, 500, true, addressCode);
    if (p.establishmentCode !== undefined) {
      if (!/^\d{4}$/.test(p.establishmentCode)) fail(`${field}.establishmentCode`, 'establishment-format', 'must be 4 digits');
      ruc(`${field}.establishmentRuc`, p.establishmentRuc);
    }
  };
  const mtc = (field: string, value: unknown): void => {
    if (value !== undefined && (typeof value !== 'string' || !/^(?!0+$)[0-9A-Z]{1,20}$/.test(value)))
      fail(field, 'mtc-format', 'must be 1 to 20 upper-case letters or digits, not all zeros', '4392');
  };
  const driver = (field: string, d: Driver): void => {
    if (!IDENTITY_TYPES.includes(d?.documentType))
      fail(`${field}.documentType`, 'catalog-06', 'must be an identity document type of SUNAT catalogue 06', '2571');
    text(`${field}.documentNumber`, d?.documentNumber, 15, true, '2568');
    text(`${field}.firstNames`, d?.firstNames, 250);
    text(`${field}.lastNames`, d?.lastNames, 250);
    if (d?.license === undefined || d.license === '') fail(`${field}.license`, 'required', 'is required', '2572');
    if (d?.role !== undefined && d.role !== 'Principal' && d.role !== 'Secundario')
      fail(`${field}.role`, 'driver-role', "must be 'Principal' or 'Secundario'");
  };

  if (!guide || typeof guide !== 'object') {
    fail('guide', 'required', 'must be an object');
    return out;
  }
  if (guide.type !== '09' && guide.type !== '31') fail('type', 'guide-type', "must be '09' (remitente) or '31' (transportista)", '1052');
  const prefix = guide.type === '31' ? 'V' : 'T';
  if (typeof guide.series !== 'string' || !new RegExp(`^${prefix}[A-Z0-9]{3}$`).test(guide.series))
    fail('series', 'series-format', `must be 4 characters: ${prefix} then 3 letters or digits (e.g. ${prefix}001)`, '1001');
  if (!/^\d{1,8}$/.test(String(guide.number)) || Number(guide.number) < 1)
    fail('number', 'number-format', 'must be an integer of 1 to 8 digits, at least 1', '1001');
  const customizationId = (guide as { customizationId?: unknown }).customizationId;
  if (customizationId !== undefined && customizationId !== '2.0')
    fail('customizationId', 'customization-id', "must be '2.0' (GRE 2022)", '2112');
  date('issueDate', guide.issueDate);
  if (typeof guide.issueTime !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(guide.issueTime))
    fail('issueTime', 'time-format', 'must be a time HH:MM:SS');
  if (guide.signatureId !== undefined && !/^[A-Za-z_][\w.-]{0,99}$/.test(guide.signatureId))
    fail('signatureId', 'xml-id', 'must be an XML Id (a letter or _, then letters, digits, _ . -)', '2084');
  if (!guide.issuer || typeof guide.issuer !== 'object') fail('issuer', 'required', 'is required');
  else {
    ruc('issuer.ruc', guide.issuer.ruc);
    text('issuer.name', guide.issuer.name, 250);
    mtc('issuer.mtcRegistration', guide.issuer.mtcRegistration);
  }
  party('recipient', guide.recipient, { type: '2549', id: '2550' });
  if (guide.buyer !== undefined) party('buyer', guide.buyer, { type: '3332', id: '3337' });
  if (guide.seller !== undefined) party('seller', guide.seller);
  if (guide.type === '31') party('sender', guide.sender, { type: '2541', id: '1060' });
  // SUNAT only observes a subcontracted 31 that does not say who subcontracted it (4424); the package wants it said.
  if (
    guide.type === '31' &&
    guide.subcontractor === undefined &&
    Array.isArray(guide.shipment?.indicators) &&
    guide.shipment.indicators.includes('SUNAT_Envio_IndicadorTrasporteSubcontratado')
  )
    fail('subcontractor', 'subcontractor-required', 'subcontracted transport names the company that subcontracted it', '4424');
  if (guide.type === '31' && guide.subcontractor !== undefined) {
    if (typeof guide.subcontractor !== 'object' || guide.subcontractor === null) fail('subcontractor', 'type', 'must be { ruc, name }');
    else {
      ruc('subcontractor.ruc', guide.subcontractor.ruc);
      text('subcontractor.name', guide.subcontractor.name, 250, true, '4426');
    }
  }
  // SUNAT only observes a third-party freight payer left unnamed (4401); the package wants it said.
  if (
    guide.type === '31' &&
    guide.freightPayer === undefined &&
    Array.isArray(guide.shipment?.indicators) &&
    guide.shipment.indicators.includes('SUNAT_Envio_IndicadorPagadorFlete_Tercero')
  )
    fail('freightPayer', 'freight-payer-required', 'a third party pays the freight: name it', '4401');
  if (guide.type === '31' && guide.freightPayer !== undefined) party('freightPayer', guide.freightPayer, { type: '3399', id: '3400' });
  text('note', guide.note, 250, false);
  (guide.relatedDocuments ?? []).forEach((r, i) => {
    if (!RELATED_TYPES.includes(r?.type))
      fail(`relatedDocuments[${i}].type`, 'catalog-61', 'must be a related document type of SUNAT catalogue 61');
    text(`relatedDocuments[${i}].number`, r?.number, 100);
    if (r?.issuerRuc !== undefined) ruc(`relatedDocuments[${i}].issuerRuc`, r.issuerRuc);
  });

  const s = guide.shipment;
  if (!s || typeof s !== 'object') {
    fail('shipment', 'required', 'is required');
  } else {
    if (s.reason === undefined) {
      if (guide.type === '09') fail('shipment.reason', 'required', 'is required for a 09 guide (catalogue 20)', '3404');
    } else if (!TRANSFER_REASONS.includes(s.reason))
      fail('shipment.reason', 'catalog-20', 'must be a reason for transfer of SUNAT catalogue 20, as SUNAT stylesheets list it', '3405');
    text('shipment.reasonDescription', s.reasonDescription, 100, s.reason === '13');
    if (s.mode === undefined) {
      if (guide.type === '09') fail('shipment.mode', 'required', 'is required for a 09 guide (catalogue 18)', '2532');
    } else if (!TRANSPORT_MODES.includes(s.mode))
      fail('shipment.mode', 'catalog-18', "must be '01' (public) or '02' (private), SUNAT catalogue 18", '2773');
    if (typeof s.grossWeight !== 'number' || !Number.isFinite(s.grossWeight) || s.grossWeight <= 0 || s.grossWeight >= 1e12)
      fail('shipment.grossWeight', 'weight-positive', 'must be a number greater than 0', '2523');
    else if (Number(s.grossWeight.toFixed(3)) <= 0)
      fail('shipment.grossWeight', 'weight-positive', 'rounds to 0.000 (3 decimals are sent)', '2523');
    if (s.weightUnit !== 'KGM' && s.weightUnit !== 'TNE') fail('shipment.weightUnit', 'weight-unit', "must be 'KGM' or 'TNE'", '2881');
    if (s.packages !== undefined && (!Number.isInteger(s.packages) || s.packages < 1 || s.packages > 999999))
      fail('shipment.packages', 'packages-positive', 'must be an integer from 1 to 999999', '4384');
    if (
      s.netWeight !== undefined &&
      (typeof s.netWeight !== 'number' || !Number.isFinite(s.netWeight) || Number(s.netWeight.toFixed(3)) <= 0 || s.netWeight >= 1e12)
    )
      fail('shipment.netWeight', 'weight-positive', 'must be a number of kilograms greater than 0', '3397');
    if (s.containers !== undefined && !Array.isArray(s.containers)) fail('shipment.containers', 'type', 'must be an array');
    (Array.isArray(s.containers) ? s.containers : []).forEach((c, i) => {
      if (typeof c?.number !== 'string' || !/^[0-9A-Za-z]{1,11}$/.test(c.number))
        fail(`shipment.containers[${i}].number`, 'container-format', 'must be 1 to 11 letters or digits', '4071');
      if (c?.seal !== undefined && (typeof c.seal !== 'string' || !/^(?!0+$)[0-9A-Za-z]{1,20}$/.test(c.seal)))
        fail(`shipment.containers[${i}].seal`, 'seal-format', 'must be 1 to 20 letters or digits, not all zeros', '4074');
    });
    if (s.indicators !== undefined && (!Array.isArray(s.indicators) || s.indicators.some((i) => typeof i !== 'string')))
      fail('shipment.indicators', 'type', 'must be an array of SUNAT indicator codes');
    if (
      s.port !== undefined &&
      (typeof s.port !== 'object' || (s.port.kind !== 'port' && s.port.kind !== 'airport') || typeof s.port.code !== 'string')
    )
      fail('shipment.port', 'port-shape', "must be { kind: 'port' | 'airport', code }", '4416');
    date('shipment.startDate', s.startDate, '1070');
    place('shipment.start', s.start);
    place('shipment.arrival', s.arrival, '2574');
    if (s.carrier !== undefined) {
      ruc('shipment.carrier.ruc', s.carrier.ruc, '2559');
      text('shipment.carrier.name', s.carrier.name, 250, true, '2563');
      mtc('shipment.carrier.mtcRegistration', s.carrier.mtcRegistration);
    }
    const vehicles = s.vehicles ?? [];
    const drivers = s.drivers ?? [];
    vehicles.forEach((v, i) => {
      if (typeof v?.plate !== 'string' || !/^(?!0+$)[A-Z0-9]{6,8}$/.test(v.plate))
        fail(`shipment.vehicles[${i}].plate`, 'plate-format', 'must be 6 to 8 upper-case letters or digits, no dashes', '2567');
      const auth = v?.authorization;
      if (auth !== undefined) {
        if (typeof auth?.number !== 'string' || auth.number.trim().length < 3 || auth.number.length > 50 || /[\n\t\r\f]/.test(auth.number))
          fail(`shipment.vehicles[${i}].authorization.number`, 'authorization-format', 'must be 3 to 50 characters on one line', '4406');
        if (!/^(0[1-9]|1[0-2])$/.test(String(auth?.authority)))
          fail(
            `shipment.vehicles[${i}].authorization.authority`,
            'catalog-D37',
            'must be an issuing authority of SUNAT catalogue D37',
            '4407',
          );
      }
    });
    drivers.forEach((d, i) => driver(`shipment.drivers[${i}]`, d));
    if (guide.type === '31') {
      if (vehicles.length === 0) fail('shipment.vehicles', 'vehicle-required', 'a 31 guide needs at least one vehicle', '2566');
      if (drivers.length === 0) fail('shipment.drivers', 'driver-required', 'a 31 guide needs at least one driver', '1068');
    }
    // 09: vehicles, drivers and carrier depend on the mode and the indicators (@internal/sunat-kit's sunat-rules.ts).
  }

  if (!Array.isArray(guide.lines) || guide.lines.length === 0) fail('lines', 'required', 'must hold at least one line');
  else
    guide.lines.forEach((l, i) => {
      const q = typeof l?.quantity === 'number' ? l.quantity : Number(l?.quantity);
      const qText = typeof l?.quantity === 'number' ? String(l.quantity) : l?.quantity;
      if (!Number.isFinite(q) || q <= 0 || !/^\d{1,12}(\.\d{1,10})?$/.test(qText ?? ''))
        fail(`lines[${i}].quantity`, 'quantity-positive', 'must be greater than 0 with at most 12 integer and 10 decimal digits');
      if (typeof l?.unitCode !== 'string' || !/^[A-Z0-9]{1,3}$/.test(l.unitCode))
        fail(`lines[${i}].unitCode`, 'unit-code', 'must be a UN/ECE rec. 20 code (1 to 3 upper-case letters or digits)');
      text(`lines[${i}].description`, l?.description, 500);
      text(`lines[${i}].code`, l?.code, 30, false);
      if (l?.sunatProductCode !== undefined && !/^\d{8}$/.test(l.sunatProductCode))
        fail(`lines[${i}].sunatProductCode`, 'unspsc', 'must be an UNSPSC code of 8 digits');
      if (l?.customs !== undefined && (typeof l.customs !== 'object' || typeof l.customs.declaration !== 'string'))
        fail(`lines[${i}].customs`, 'customs-shape', 'must be { declaration, item }');
    });
  // SUNAT's field patterns the sandbox judges too (licence, TUC, georeferences, tariff subheadings).
  checkSunatPatterns(guide, fail);
  // SUNAT's cross-field rules, once every field has its format (they read fields the checks above vouch for).
  if (out.length === 0) checkSunatRules(guide, fail);
  return out;
}

/** Throws the first GreValidationError the guide has (see findGuideProblems for all of them). */
export function validateGuide(guide: Guide): void {
  const [first] = findGuideProblems(guide);
  if (first) throw first;
}
