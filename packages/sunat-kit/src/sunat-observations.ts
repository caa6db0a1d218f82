// The observations of SUNAT's stylesheets (codes 4000+, isError = false()): SUNAT accepts, the CDR lists them.
import type { Guide } from './guide.js';
import { hasIndicator, type ObservationNote } from './rule-report.js';

/**
 * The observations (codes 4000+, `isError = false()` in SUNAT's stylesheets) that the same stylesheets give an
 * accepted guide: SUNAT still accepts it and lists them in the CDR. A second list next to `checkSunatRules`.
 */
export function checkSunatObservations(guide: Guide, note: ObservationNote): void {
  const s = guide.shipment;
  const reason = s.reason;
  const m1l = hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoVehiculoM1L');
  const carriersVehicles = hasIndicator(guide, 'SUNAT_Envio_IndicadorVehiculoConductoresTransp');
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
  if (hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasporteSubcontratado') && guide.subcontractor === undefined)
    for (const code of ['4424', '4425', '4426'])
      note('subcontractor', 'subcontracted transport without the company that subcontracted it', code);
  if (hasIndicator(guide, 'SUNAT_Envio_IndicadorPagadorFlete_Tercero') && guide.freightPayer === undefined)
    for (const code of ['4401', '4402', '4370']) note('freightPayer', 'a third party pays the freight but is not named', code);
  if (guide.issuer?.mtcRegistration === undefined) note('issuer.mtcRegistration', "the carrier's MTC registration is missing", '4391');
  if (vehicles[0] !== undefined && vehicles[0].circulationCard === undefined)
    note('shipment.vehicles[0].circulationCard', 'the main vehicle has no TUC or registration certificate', '4399');
}
