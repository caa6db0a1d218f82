// The received DespatchAdvice read back into the guide shape of SUNAT's rules (@internal/sunat-kit), the inverse of
// sunat-gre-client's writer, so that the sandbox judges a guide with the very rules the client validates it with.
// Missing pieces stay undefined (or empty text): the rules then report what SUNAT would.
import type {
  Container,
  Driver,
  Guide,
  GuideLine,
  IdentityDocumentType,
  Party,
  Place,
  RelatedDocument,
  Shipment,
  Vehicle,
} from '@internal/sunat-kit';
import { child, isNode, localName, type Node, path, text1 } from './document.js';

/** Every child element named `name` (the parser gives one child as an object, several as an array). */
function all(node: unknown, name: string): unknown[] {
  if (Array.isArray(node)) node = node[0];
  if (!isNode(node)) return [];
  const out: unknown[] = [];
  for (const [k, v] of Object.entries(node)) if (!k.startsWith('@') && localName(k) === name) out.push(...(Array.isArray(v) ? v : [v]));
  return out;
}

function attr(node: unknown, name: string): string | undefined {
  if (Array.isArray(node)) node = node[0];
  return isNode(node) && typeof node[`@${name}`] === 'string' ? (node[`@${name}`] as string) : undefined;
}

const str = (v: unknown): string => text1(v) ?? '';
const num = (v: unknown): number | undefined => (text1(v) === undefined ? undefined : Number(text1(v)));

function party(p: unknown): Party | undefined {
  if (p === undefined) return undefined;
  const id = path(p, ['PartyIdentification', 'ID']);
  return {
    documentType: (attr(id, 'schemeID') ?? '') as IdentityDocumentType,
    documentNumber: str(id),
    name: str(path(p, ['PartyLegalEntity', 'RegistrationName'])),
  };
}

function place(p: unknown): Place {
  const est = child(p, 'AddressTypeCode');
  const listId = attr(est, 'listID');
  const coordinate = child(p, 'LocationCoordinate');
  return {
    ubigeo: str(child(p, 'ID')),
    address: str(path(p, ['AddressLine', 'Line'])),
    ...(text1(est) === undefined ? {} : { establishmentCode: text1(est), ...(listId ? { establishmentRuc: listId } : {}) }),
    ...(coordinate === undefined
      ? {}
      : {
          coordinates: {
            latitude: str(child(coordinate, 'LatitudeDegreesMeasure')),
            longitude: str(child(coordinate, 'LongitudeDegreesMeasure')),
          },
        }),
  };
}

function vehicle(e: unknown): Vehicle {
  const card = text1(path(e, ['ApplicableTransportMeans', 'RegistrationNationalityID']));
  const auth = path(e, ['ShipmentDocumentReference', 'ID']);
  return {
    plate: str(child(e, 'ID')),
    ...(card === undefined ? {} : { circulationCard: card }),
    ...(text1(auth) === undefined ? {} : { authorization: { number: str(auth), authority: (attr(auth, 'schemeID') ?? '') as '01' } }),
  };
}

function line(l: unknown): GuideLine {
  const q = child(l, 'DeliveredQuantity');
  const props = all(child(l, 'Item'), 'AdditionalItemProperty');
  const prop = (code: string): string | undefined =>
    text1(
      child(
        props.find((p) => text1(child(p, 'NameCode')) === code),
        'Value',
      ),
    );
  const declaration = prop('7021');
  const tariffSubheading = prop('7020');
  const code = text1(path(l, ['Item', 'SellersItemIdentification', 'ID']));
  const unspsc = text1(path(l, ['Item', 'CommodityClassification', 'ItemClassificationCode']));
  return {
    quantity: str(q),
    unitCode: attr(q, 'unitCode') ?? '',
    description: str(path(l, ['Item', 'Description'])),
    ...(code === undefined ? {} : { code }),
    ...(unspsc === undefined ? {} : { sunatProductCode: unspsc }),
    ...(declaration === undefined ? {} : { customs: { declaration, item: prop('7023') ?? '' } }),
    ...(tariffSubheading === undefined ? {} : { tariffSubheading }),
  };
}

/** The guide SUNAT's rules read, from the parsed DespatchAdvice root. */
export function readGuide(root: Node): Guide {
  const [series = '', number = ''] = (text1(child(root, 'ID')) ?? '').split('-');
  const supplier = path(root, ['DespatchSupplierParty', 'Party']);
  const s = child(root, 'Shipment');
  const stage = child(s, 'ShipmentStage');
  const carriers = all(stage, 'CarrierParty');
  const carrierParty = carriers.find((c) => child(c, 'PartyIdentification') !== undefined);
  const carrierMtc = carriers.map((c) => text1(path(c, ['PartyLegalEntity', 'CompanyID']))).find((v) => v !== undefined);
  const equipment = path(s, ['TransportHandlingUnit', 'TransportEquipment']);
  const port = child(s, 'FirstArrivalPortLocation');
  const gross = child(s, 'GrossWeightMeasure');
  const type = (text1(child(root, 'DespatchAdviceTypeCode')) ?? '') as Guide['type'];
  const issuerMtc = text1(path(supplier, ['PartyLegalEntity', 'CompanyID'])) ?? (type === '31' ? carrierMtc : undefined);

  const shipment: Shipment = {
    ...(text1(child(s, 'HandlingCode')) === undefined ? {} : { reason: text1(child(s, 'HandlingCode')) as Shipment['reason'] }),
    ...(text1(child(stage, 'TransportModeCode')) === undefined
      ? {}
      : { mode: text1(child(stage, 'TransportModeCode')) as Shipment['mode'] }),
    grossWeight: num(gross) ?? Number.NaN,
    weightUnit: (attr(gross, 'unitCode') ?? 'KGM') as Shipment['weightUnit'],
    ...(num(child(s, 'NetWeightMeasure')) === undefined ? {} : { netWeight: num(child(s, 'NetWeightMeasure')) }),
    ...(num(child(s, 'TotalTransportHandlingUnitQuantity')) === undefined
      ? {}
      : { packages: num(child(s, 'TotalTransportHandlingUnitQuantity')) }),
    indicators: all(s, 'SpecialInstructions').map(str) as Shipment['indicators'],
    containers: all(child(s, 'TransportHandlingUnit'), 'Package').map(
      (p): Container => ({
        number: str(child(p, 'ID')),
        ...(text1(child(p, 'TraceID')) === undefined ? {} : { seal: text1(child(p, 'TraceID')) }),
      }),
    ),
    ...(text1(child(port, 'ID')) === undefined
      ? {}
      : {
          port: {
            kind: text1(child(port, 'LocationTypeCode')) === '2' ? 'airport' : 'port',
            code: str(child(port, 'ID')),
          } as Shipment['port'],
        }),
    startDate: str(path(stage, ['TransitPeriod', 'StartDate'])),
    start: place(path(s, ['Delivery', 'Despatch', 'DespatchAddress'])),
    arrival: place(path(s, ['Delivery', 'DeliveryAddress'])),
    ...(carrierParty === undefined
      ? {}
      : {
          carrier: {
            ruc: str(path(carrierParty, ['PartyIdentification', 'ID'])),
            name: str(path(carrierParty, ['PartyLegalEntity', 'RegistrationName'])),
            ...(type === '09' && carrierMtc !== undefined ? { mtcRegistration: carrierMtc } : {}),
          },
        }),
    vehicles: equipment === undefined ? [] : [vehicle(equipment), ...all(equipment, 'AttachedTransportEquipment').map(vehicle)],
    drivers: all(stage, 'DriverPerson').map(
      (d): Driver => ({
        documentType: (attr(child(d, 'ID'), 'schemeID') ?? '') as IdentityDocumentType,
        documentNumber: str(child(d, 'ID')),
        firstNames: str(child(d, 'FirstName')),
        lastNames: str(child(d, 'FamilyName')),
        license: str(path(d, ['IdentityDocumentReference', 'ID'])),
        ...(text1(child(d, 'JobTitle')) === undefined ? {} : { role: text1(child(d, 'JobTitle')) as Driver['role'] }),
      }),
    ),
  };
  const base = {
    series,
    number,
    issueDate: str(child(root, 'IssueDate')),
    issueTime: str(child(root, 'IssueTime')),
    issuer: {
      ruc: str(path(supplier, ['PartyIdentification', 'ID'])),
      name: str(path(supplier, ['PartyLegalEntity', 'RegistrationName'])),
      ...(issuerMtc === undefined ? {} : { mtcRegistration: issuerMtc }),
    },
    recipient: party(path(root, ['DeliveryCustomerParty', 'Party'])) ?? {
      documentType: '' as IdentityDocumentType,
      documentNumber: '',
      name: '',
    },
    ...(child(root, 'BuyerCustomerParty') === undefined ? {} : { buyer: party(path(root, ['BuyerCustomerParty', 'Party'])) }),
    ...(child(root, 'SellerSupplierParty') === undefined ? {} : { seller: party(path(root, ['SellerSupplierParty', 'Party'])) }),
    relatedDocuments: all(root, 'AdditionalDocumentReference').map((r): RelatedDocument => {
      const issuer = text1(path(r, ['IssuerParty', 'PartyIdentification', 'ID']));
      return {
        type: str(child(r, 'DocumentTypeCode')) as RelatedDocument['type'],
        number: str(child(r, 'ID')),
        ...(issuer === undefined ? {} : { issuerRuc: issuer }),
      };
    }),
    shipment,
    lines: all(root, 'DespatchLine').map(line),
  };
  if (type === '31') {
    const subcontractor = path(s, ['Consignment', 'LogisticsOperatorParty']);
    return {
      ...base,
      type,
      ...(subcontractor === undefined
        ? {}
        : {
            subcontractor: {
              ruc: str(path(subcontractor, ['PartyIdentification', 'ID'])),
              name: str(path(subcontractor, ['PartyLegalEntity', 'RegistrationName'])),
            },
          }),
      sender: party(path(s, ['Delivery', 'Despatch', 'DespatchParty'])) ?? {
        documentType: '' as IdentityDocumentType,
        documentNumber: '',
        name: '',
      },
    };
  }
  return { ...base, type: '09' };
}
