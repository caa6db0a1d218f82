// The transport of a 09 guide: carrier, vehicles and drivers by mode (catalogue 18) and indicators.
import type { SenderGuide } from './guide.js';
import { hasIndicator, type RuleFail } from './rule-report.js';

/** Carrier, vehicles, drivers, their registrations and the start date, as the mode and the indicators require. */
export function checkTransportRules(guide: SenderGuide, fail: RuleFail): void {
  const s = guide.shipment;
  // Vehicles, drivers and carrier by mode and indicators (2558, 2566, 3357, 3347, 3354, 3453, 3455, 3450, 3451, 3452).
  const m1l = hasIndicator(guide, 'SUNAT_Envio_IndicadorTrasladoVehiculoM1L');
  const carriersVehicles = hasIndicator(guide, 'SUNAT_Envio_IndicadorVehiculoConductoresTransp');
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
  if (needsVehicle && vehicles.length === 0) fail('shipment.vehicles', 'vehicle-required', 'the transport needs its main vehicle', '2566');
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
