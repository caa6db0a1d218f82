// The goods lines (cac:DespatchLine): count, per-line customs data and units on imports/exports.
import type { Guide } from './guide.js';
import { hasIndicator, isCustomsTransfer, type RuleFail } from './rule-report.js';
import { CUSTOMS_UNITS } from './sunat-catalogues.js';

/** Line rules: at most 9999 lines; customs data formats; on 08/09 the units and customs data SUNAT requires. */
export function checkLineRules(guide: Guide, fail: RuleFail): void {
  const reason = guide.shipment.reason;
  const related = guide.relatedDocuments ?? [];
  const totalDam = hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS');
  const customsReason = isCustomsTransfer(guide);
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
