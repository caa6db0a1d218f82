// SUNAT's consistency rules for GRE 2022, read from its validation stylesheets (ValidaExprRegGreRemitente-2.0.1.xsl,
// ValidaExprRegGreTransportista-2.0.1.xsl) and the catalogues they open. Pure functions over the typed guide, no
// I/O, so that the client and the sandbox share them. Each rule names SUNAT's code; gre-sunat-xsl.test.ts runs
// SUNAT's stylesheets to hold these modules to them. This file runs them in order; the rules live by subject:
// related-documents.ts, reason-rules.ts, transport-rules.ts, line-rules.ts (observations: sunat-observations.ts).
import type { Guide } from './guide.js';
import { checkLineRules } from './line-rules.js';
import { checkReasonRules } from './reason-rules.js';
import { checkRelatedDocuments } from './related-documents.js';
import { hasIndicator, isCustomsTransfer, type RuleFail } from './rule-report.js';
import { INDICATORS_BY_GUIDE } from './sunat-catalogues.js';
import { checkTransportRules } from './transport-rules.js';

/**
 * The cross-field rules of SUNAT's stylesheets, for a guide whose fields each have the right format (see
 * validate.ts). Reports each broken rule through `fail`.
 */
export function checkSunatRules(guide: Guide, fail: RuleFail): void {
  const s = guide.shipment;
  const type = guide.type;
  const totalDam = hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS');
  const customsReason = isCustomsTransfer(guide);

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
  checkRelatedDocuments(guide, fail);
  if (guide.type === '31') {
    if (s.containers?.length) fail('shipment.containers', 'sender-only', 'SUNAT reads containers on a 09 guide only');
    // The subcontractor goes with its indicator (without it SUNAT only observes: sunat-observations.ts) and is not
    // the issuer (3390).
    const subcontracted = hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasporteSubcontratado');
    if (!subcontracted && guide.subcontractor !== undefined)
      fail('subcontractor', 'subcontracted-indicator', 'is given only with the indicator SUNAT_Envio_IndicadorTrasporteSubcontratado');
    if (guide.subcontractor !== undefined && guide.subcontractor.ruc === guide.issuer?.ruc)
      fail('subcontractor.ruc', 'subcontractor-not-issuer', 'cannot be the issuer (the carrier doing the transport)', '3390');
    if (!hasIndicator(guide, 'SUNAT_Envio_IndicadorPagadorFlete_Tercero') && guide.freightPayer !== undefined)
      fail('freightPayer', 'freight-payer-indicator', 'is given only with the indicator SUNAT_Envio_IndicadorPagadorFlete_Tercero');
  } else {
    // Untyped callers: the type only allows the freight payer on a 31.
    if ('freightPayer' in guide && guide.freightPayer !== undefined)
      fail('freightPayer', 'carrier-only', 'SUNAT reads the third-party freight payer on a 31 guide only');
    checkReasonRules(guide, fail);
    checkTransportRules(guide, fail);
  }
  checkLineRules(guide, fail);
}
