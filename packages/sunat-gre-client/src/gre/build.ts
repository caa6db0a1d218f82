import type { Driver, Guide, GuideLine, Party, Place, Vehicle } from '@internal/sunat-kit';
import { coordinateText, relatedDocumentIssuer } from '@internal/sunat-kit';
import { validateGuide } from './validate.js';

const NS =
  'xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"' +
  ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"' +
  ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"' +
  ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"' +
  ' xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"';

const CATALOG = (n: string): string => `urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo${n}`;
const ID_SCHEME = (type: string): Attrs => ({
  schemeID: type,
  schemeName: 'Documento de Identidad',
  schemeAgencyName: 'PE:SUNAT',
  schemeURI: CATALOG('06'),
});
const UBIGEO: Attrs = { schemeAgencyName: 'PE:INEI', schemeName: 'Ubigeos' };

/** The signature id used when the guide gives no `signatureId`: `cac:Signature/cbc:ID`, and `#SignSUNAT` as its URI. */
export const DEFAULT_SIGNATURE_ID = 'SignSUNAT';

/** catalogue 61 names, written next to the code as SUNAT's structure asks (cbc:DocumentType). */
const RELATED_NAMES: Record<string, string> = {
  '01': 'Factura',
  '03': 'Boleta de Venta',
  '04': 'Liquidación de Compra',
  '09': 'Guía de Remisión Remitente',
  '12': 'Ticket o cinta emitido por máquina registradora',
  '31': 'Guía de Remisión Transportista',
  '48': 'Comprobante de Operaciones - Ley N° 29972',
  '49': 'Constancia de Depósito - IVAP (Ley 28211)',
  '50': 'Declaración Aduanera de Mercancías',
  '52': 'Declaración Simplificada (DS)',
  '80': 'Constancia de Depósito - Detracción',
};

type Attrs = Record<string, string>;

/**
 * Text as XML carries it: & < > escaped, and line ends normalised to LF the way every XML parser
 * reads them (XML 1.0 §2.11), so that the value a verifier parses is the value that was signed.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

function el(name: string, value: string | number | undefined, attrs?: Attrs): string {
  if (value === undefined) return '';
  const a = attrs
    ? Object.entries(attrs)
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('')
    : '';
  return `<${name}${a}>${escapeXml(String(value))}</${name}>`;
}

function wrap(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** "<RUC>-<type>-<series>-<number>": the zip's, the XML's and the URL's common name (number not padded). */
export function guideFileBaseName(guide: Pick<Guide, 'issuer' | 'type' | 'series' | 'number'>): string {
  return `${guide.issuer.ruc}-${guide.type}-${guide.series}-${Number(guide.number)}`;
}

function party(p: Party): string {
  return wrap(
    'cac:Party',
    wrap('cac:PartyIdentification', el('cbc:ID', p.documentNumber, ID_SCHEME(p.documentType))),
    wrap('cac:PartyLegalEntity', el('cbc:RegistrationName', p.name)),
  );
}

function place(tag: string, p: Place): string {
  return wrap(
    tag,
    el('cbc:ID', p.ubigeo, UBIGEO),
    p.establishmentCode === undefined
      ? ''
      : el('cbc:AddressTypeCode', p.establishmentCode, {
          listID: p.establishmentRuc ?? '',
          listAgencyName: 'PE:SUNAT',
          listName: 'Establecimientos anexos',
        }),
    wrap('cac:AddressLine', el('cbc:Line', p.address)),
    p.coordinates === undefined
      ? ''
      : wrap(
          'cac:LocationCoordinate',
          el('cbc:LatitudeDegreesMeasure', coordinateText(p.coordinates.latitude), DEGREES),
          el('cbc:LongitudeDegreesMeasure', coordinateText(p.coordinates.longitude), DEGREES),
        ),
  );
}

/** UN/ECE rec. 20 "DD", degree: UBL measures carry a unit. */
const DEGREES: Attrs = { unitCode: 'DD' };

function driver(d: Driver, i: number): string {
  return wrap(
    'cac:DriverPerson',
    el('cbc:ID', d.documentNumber, ID_SCHEME(d.documentType)),
    el('cbc:FirstName', d.firstNames),
    el('cbc:FamilyName', d.lastNames),
    el('cbc:JobTitle', d.role ?? (i === 0 ? 'Principal' : 'Secundario')),
    wrap('cac:IdentityDocumentReference', el('cbc:ID', d.license)),
  );
}

/** A decimal with up to `digits` decimals, without trailing zeros beyond what the caller wrote. */
function quantity(q: number | string): string {
  return typeof q === 'string' ? q : String(Number(q.toFixed(10)));
}

/**
 * The unsigned UBL 2.1 DespatchAdvice of a guide, in the element order of UBL-DespatchAdvice-2.1.xsd and
 * SUNAT's GRE 2022 structure, with an empty ext:ExtensionContent waiting for the signature.
 * Validates first: a guide SUNAT would refuse throws GreValidationError.
 */
export function buildDespatchAdvice(guide: Guide): string {
  validateGuide(guide);
  return writeDespatchAdvice(guide);
}

/** The XML of a guide without validating it first (tests use it to show SUNAT what the validator refuses). */
export function writeDespatchAdvice(guide: Guide): string {
  const g = guide;
  const s = g.shipment;
  const signatureId = g.signatureId ?? DEFAULT_SIGNATURE_ID;
  const issuerParty = wrap(
    'cac:Party',
    wrap('cac:PartyIdentification', el('cbc:ID', g.issuer.ruc, ID_SCHEME('6'))),
    wrap('cac:PartyLegalEntity', el('cbc:RegistrationName', g.issuer.name), el('cbc:CompanyID', g.issuer.mtcRegistration)),
  );
  const vehicles = s.vehicles ?? [];
  const [mainVehicle, ...attached] = vehicles;
  const parts: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<DespatchAdvice ${NS}>`,
    '<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>',
    el('cbc:UBLVersionID', '2.1'),
    el('cbc:CustomizationID', g.customizationId ?? '2.0'),
    el('cbc:ID', `${g.series}-${Number(g.number)}`),
    el('cbc:IssueDate', g.issueDate),
    el('cbc:IssueTime', g.issueTime),
    el('cbc:DespatchAdviceTypeCode', g.type, { listAgencyName: 'PE:SUNAT', listName: 'Tipo de Documento', listURI: CATALOG('01') }),
    el('cbc:Note', g.note),
    ...(g.relatedDocuments ?? []).map((r) =>
      wrap(
        'cac:AdditionalDocumentReference',
        el('cbc:ID', r.number),
        el('cbc:DocumentTypeCode', r.type, {
          listAgencyName: 'PE:SUNAT',
          listName: 'Documento relacionado al transporte',
          listURI: CATALOG('61'),
        }),
        el('cbc:DocumentType', RELATED_NAMES[r.type]),
        relatedIssuerParty(relatedDocumentIssuer(g, r)),
      ),
    ),
    wrap(
      'cac:Signature',
      el('cbc:ID', signatureId),
      wrap(
        'cac:SignatoryParty',
        wrap('cac:PartyIdentification', el('cbc:ID', g.issuer.ruc)),
        wrap('cac:PartyName', el('cbc:Name', g.issuer.name)),
      ),
      wrap('cac:DigitalSignatureAttachment', wrap('cac:ExternalReference', el('cbc:URI', `#${signatureId}`))),
    ),
    wrap('cac:DespatchSupplierParty', issuerParty),
    wrap('cac:DeliveryCustomerParty', party(g.recipient)),
    g.buyer === undefined ? '' : wrap('cac:BuyerCustomerParty', party(g.buyer)),
    g.seller === undefined ? '' : wrap('cac:SellerSupplierParty', party(g.seller)),
    g.type === '31' && g.freightPayer !== undefined ? wrap('cac:OriginatorCustomerParty', party(g.freightPayer)) : '',
    wrap(
      'cac:Shipment',
      el('cbc:ID', 'SUNAT_Envio'),
      s.reason === undefined
        ? ''
        : el('cbc:HandlingCode', s.reason, { listAgencyName: 'PE:SUNAT', listName: 'Motivo de traslado', listURI: CATALOG('20') }),
      el('cbc:HandlingInstructions', s.reasonDescription),
      el('cbc:GrossWeightMeasure', s.grossWeight.toFixed(3), { unitCode: s.weightUnit }),
      s.netWeight === undefined ? '' : el('cbc:NetWeightMeasure', s.netWeight.toFixed(3), { unitCode: 'KGM' }),
      el('cbc:TotalTransportHandlingUnitQuantity', s.packages),
      ...(s.indicators ?? []).map((i) => el('cbc:SpecialInstructions', i)),
      // 31, subcontracted transport: the company that subcontracted it, where SUNAT reads it.
      g.type === '31' && g.subcontractor !== undefined
        ? wrap(
            'cac:Consignment',
            el('cbc:ID', 'SUNAT_Envio'),
            wrap(
              'cac:LogisticsOperatorParty',
              wrap('cac:PartyIdentification', el('cbc:ID', g.subcontractor.ruc, ID_SCHEME('6'))),
              wrap('cac:PartyLegalEntity', el('cbc:RegistrationName', g.subcontractor.name)),
            ),
          )
        : '',
      wrap(
        'cac:ShipmentStage',
        s.mode === undefined
          ? ''
          : el('cbc:TransportModeCode', s.mode, { listName: 'Modalidad de traslado', listAgencyName: 'PE:SUNAT', listURI: CATALOG('18') }),
        wrap('cac:TransitPeriod', el('cbc:StartDate', s.startDate)),
        s.carrier === undefined
          ? ''
          : wrap(
              'cac:CarrierParty',
              wrap('cac:PartyIdentification', el('cbc:ID', s.carrier.ruc, { schemeID: '6' })),
              wrap('cac:PartyLegalEntity', el('cbc:RegistrationName', s.carrier.name), el('cbc:CompanyID', s.carrier.mtcRegistration)),
            ),
        // 31: the carrier is the issuer; SUNAT reads its MTC registration here (4391).
        g.type === '31' && g.issuer.mtcRegistration !== undefined
          ? wrap('cac:CarrierParty', wrap('cac:PartyLegalEntity', el('cbc:CompanyID', g.issuer.mtcRegistration)))
          : '',
        ...(s.drivers ?? []).map(driver),
      ),
      wrap(
        'cac:Delivery',
        place('cac:DeliveryAddress', s.arrival),
        wrap(
          'cac:Despatch',
          place('cac:DespatchAddress', s.start),
          g.type === '31' ? wrap('cac:DespatchParty', partyContent(g.sender)) : '',
        ),
      ),
      mainVehicle === undefined && !s.containers?.length
        ? ''
        : wrap(
            'cac:TransportHandlingUnit',
            mainVehicle === undefined
              ? ''
              : wrap(
                  'cac:TransportEquipment',
                  el('cbc:ID', mainVehicle.plate),
                  circulation(mainVehicle.circulationCard),
                  ...attached.map((v) =>
                    wrap('cac:AttachedTransportEquipment', el('cbc:ID', v.plate), circulation(v.circulationCard), authorization(v)),
                  ),
                  authorization(mainVehicle),
                ),
            ...(s.containers ?? []).map((c) => wrap('cac:Package', el('cbc:ID', c.number), el('cbc:TraceID', c.seal))),
          ),
      s.port === undefined
        ? ''
        : wrap(
            'cac:FirstArrivalPortLocation',
            el('cbc:ID', s.port.code, {
              schemeAgencyName: 'PE:SUNAT',
              schemeName: s.port.kind === 'port' ? 'Puertos' : 'Aeropuertos',
              schemeURI: CATALOG(s.port.kind === 'port' ? '63' : '64'),
            }),
            el('cbc:LocationTypeCode', s.port.kind === 'port' ? '1' : '2'),
          ),
    ),
    ...g.lines.map((l, i) =>
      wrap(
        'cac:DespatchLine',
        el('cbc:ID', i + 1),
        el('cbc:DeliveredQuantity', quantity(l.quantity), { unitCode: l.unitCode }),
        wrap('cac:OrderLineReference', el('cbc:LineID', i + 1)),
        wrap(
          'cac:Item',
          el('cbc:Description', l.description),
          l.code === undefined ? '' : wrap('cac:SellersItemIdentification', el('cbc:ID', l.code)),
          l.sunatProductCode === undefined
            ? ''
            : wrap(
                'cac:CommodityClassification',
                el('cbc:ItemClassificationCode', l.sunatProductCode, {
                  listID: 'UNSPSC',
                  listAgencyName: 'GS1 US',
                  listName: 'Item Classification',
                }),
              ),
          l.tariffSubheading === undefined
            ? ''
            : wrap(
                'cac:AdditionalItemProperty',
                el('cbc:Name', 'Subpartida nacional'),
                el('cbc:NameCode', '7020', ITEM_PROPERTY),
                el('cbc:Value', l.tariffSubheading),
              ),
          customs(l),
        ),
      ),
    ),
    '</DespatchAdvice>\n',
  ];
  return parts.join('');
}

/** cac:DespatchParty holds the party's children directly (it is itself a Party). */
function partyContent(p: Party): string {
  return (
    wrap('cac:PartyIdentification', el('cbc:ID', p.documentNumber, ID_SCHEME(p.documentType))) +
    wrap('cac:PartyLegalEntity', el('cbc:RegistrationName', p.name))
  );
}

const ITEM_PROPERTY: Attrs = { listAgencyName: 'PE:SUNAT', listName: 'Propiedad del item', listURI: CATALOG('55') };

/** Catalogue 55 item properties 7021 (DAM/DS number) and 7023 (item number in it). */
function customs(l: GuideLine): string {
  if (l.customs === undefined) return '';
  return (
    wrap(
      'cac:AdditionalItemProperty',
      el('cbc:Name', 'Numeración de DAM o DS'),
      el('cbc:NameCode', '7021', ITEM_PROPERTY),
      el('cbc:Value', l.customs.declaration),
    ) +
    wrap(
      'cac:AdditionalItemProperty',
      el('cbc:Name', 'Número de serie en la DAM o DS'),
      el('cbc:NameCode', '7023', ITEM_PROPERTY),
      el('cbc:Value', String(l.customs.item)),
    )
  );
}

function relatedIssuerParty(ruc: string | undefined): string {
  return ruc === undefined ? '' : wrap('cac:IssuerParty', wrap('cac:PartyIdentification', el('cbc:ID', ruc, ID_SCHEME('6'))));
}

function authorization(v: Vehicle): string {
  if (v.authorization === undefined) return '';
  const { number, authority } = v.authorization;
  return wrap(
    'cac:ShipmentDocumentReference',
    el('cbc:ID', number, { schemeID: authority, schemeName: 'Entidad Autorizadora', schemeAgencyName: 'PE:SUNAT' }),
  );
}

function circulation(card: string | undefined): string {
  return card === undefined ? '' : wrap('cac:ApplicableTransportMeans', el('cbc:RegistrationNationalityID', card));
}
