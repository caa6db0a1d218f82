// The rules of a 09 guide that depend on its reason for transfer (catalogue 20): parties, customs documents,
// establishments, ports, containers and weights.
import type { SenderGuide } from './guide.js';
import { relatedDocumentIssuer } from './related-documents.js';
import { hasIndicator, isCustomsTransfer, type RuleFail } from './rule-report.js';
import { AIRPORTS, PORTS } from './sunat-catalogues.js';

/** The reason-dependent rules of a 09 guide whose fields each have the right format. */
export function checkReasonRules(guide: SenderGuide, fail: RuleFail): void {
  const s = guide.shipment;
  const reason = s.reason;
  const issuerRuc = guide.issuer?.ruc;
  const recipientIsIssuer = guide.recipient?.documentType === '6' && guide.recipient.documentNumber === issuerRuc;
  const related = guide.relatedDocuments ?? [];
  const totalDam = hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS');
  const customsReason = isCustomsTransfer(guide);

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
}
