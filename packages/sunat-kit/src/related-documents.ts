// Related documents (cac:AdditionalDocumentReference): which a guide may cite, their number formats, who issued them.
import type { Guide, RelatedDocument } from './guide.js';
import type { RelatedDocumentType, TransferReason } from './guide-codes.js';
import { hasIndicator, type RuleFail } from './rule-report.js';
import { RELATED_TYPES_BY_GUIDE } from './sunat-catalogues.js';

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

/** Related documents against the guide type and reason: allowed types, repeats, number formats, issuers, counts. */
export function checkRelatedDocuments(guide: Guide, fail: RuleFail): void {
  const type = guide.type;
  const reason = guide.shipment.reason;
  const issuerRuc = guide.issuer?.ruc;
  const related = guide.relatedDocuments ?? [];
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
    // 31: one related document, two when one of them is a 31, more only with an electronic 09 (3345, 3346).
    const hasCarrierGuide = related.some((r) => r.type === '31');
    if (hasCarrierGuide && related.length > 2)
      fail('relatedDocuments', 'related-count', 'with a related 31, at most two related documents', '3345');
    if (!hasCarrierGuide && !related.some((r) => r.type === '09' && electronic(r)) && related.length > 1)
      fail('relatedDocuments', 'related-count', 'at most one related document, unless one is a 31 or an electronic 09', '3346');
  }
  if (needsTariffSubheading(guide) && !(guide.lines ?? []).some((l) => l?.tariffSubheading !== undefined))
    fail(
      'lines',
      'tariff-subheading-required',
      `a guide citing a deposit certificate (${type === '09' ? '49 or 80' : '80'}) needs a line with its tariffSubheading (property 7020)`,
      '3352',
    );
}

/**
 * Whether SUNAT wants a line with a national tariff subheading (3352): a 09 citing a 49 or 80 unless it moves a
 * whole DAM/DS; a 31 citing an 80 when it also cites a sale/customs document without the total-transfer indicator,
 * or cites none of 01/03/04/09/12/48/50/52/82 (the stylesheets' own conditions).
 */
function needsTariffSubheading(guide: Guide): boolean {
  const types = new Set((guide.relatedDocuments ?? []).map((r) => r.type as string));
  const cites = (...list: string[]): boolean => list.some((t) => types.has(t));
  if (guide.type === '09') return cites('49', '80') && !hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS');
  if (!cites('80')) return false;
  return (
    (cites('01', '03', '04', '12', '48', '50', '52') && !hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoTotal')) ||
    !cites('01', '03', '04', '09', '12', '48', '50', '52', '82')
  );
}
