/** Options for a minimal, realistic UBL 2.1 DespatchAdvice (SUNAT GRE) used by tests. */
export interface DespatchAdviceXmlOptions {
  ruc: string;
  type: '09' | '31';
  series: string;
  number: number | string;
  /** SUNAT accepts '2.0' only; '1.0' is rejected with 2112. */
  customizationId?: string;
  /** Kilograms; 0 is rejected with 2523. */
  grossWeight?: number;
  recipientRuc?: string;
  recipientName?: string;
  supplierName?: string;
  issueDate?: string;
  issueTime?: string;
  /** Vehicle plate; the sandbox treats plates starting with "ZZ" as unknown to its database (note 4398). */
  plate?: string;
  /** Product description of the single line. */
  itemDescription?: string;
  /** Extra XML placed in the first ext:ExtensionContent (e.g. a ds:Signature). Empty by default. */
  extensionContent?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A minimal but complete unsigned DespatchAdvice: the XML a GRE client zips and sends. */
export function despatchAdviceXml(o: DespatchAdviceXmlOptions): string {
  const {
    ruc,
    type,
    series,
    number,
    customizationId = '2.0',
    grossWeight = 10,
    recipientRuc = '20000000002',
    recipientName = 'DESTINATARIO S.A.C.',
    supplierName = 'REMITENTE S.A.C.',
    issueDate = '2026-01-05',
    issueTime = '10:23:59',
    plate = 'ABC123',
    itemDescription = 'PRODUCTO DE PRUEBA',
    extensionContent = '',
  } = o;
  const party = (id: string, name: string): string =>
    `<cac:Party><cac:PartyIdentification><cbc:ID schemeID="6">${esc(id)}</cbc:ID></cac:PartyIdentification>` +
    `<cac:PartyLegalEntity><cbc:RegistrationName>${esc(name)}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"` +
    ` xmlns:ds="http://www.w3.org/2000/09/xmldsig#"` +
    ` xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"` +
    ` xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"` +
    ` xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">` +
    `<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>${extensionContent}</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>` +
    `<cbc:UBLVersionID>2.1</cbc:UBLVersionID>` +
    `<cbc:CustomizationID>${esc(customizationId)}</cbc:CustomizationID>` +
    `<cbc:ID>${esc(series)}-${esc(String(number))}</cbc:ID>` +
    `<cbc:IssueDate>${esc(issueDate)}</cbc:IssueDate>` +
    `<cbc:IssueTime>${esc(issueTime)}</cbc:IssueTime>` +
    `<cbc:DespatchAdviceTypeCode listAgencyName="PE:SUNAT" listName="Tipo de Documento" listURI="urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo01">${type}</cbc:DespatchAdviceTypeCode>` +
    `<cac:DespatchSupplierParty>${party(ruc, supplierName)}</cac:DespatchSupplierParty>` +
    `<cac:DeliveryCustomerParty>${party(recipientRuc, recipientName)}</cac:DeliveryCustomerParty>` +
    `<cac:Shipment><cbc:ID>SUNAT_Envio</cbc:ID>` +
    `<cbc:HandlingCode listAgencyName="PE:SUNAT" listName="Motivo de traslado" listURI="urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo20">01</cbc:HandlingCode>` +
    `<cbc:GrossWeightMeasure unitCode="KGM">${grossWeight.toFixed(3)}</cbc:GrossWeightMeasure>` +
    `<cac:ShipmentStage><cbc:TransportModeCode listName="Modalidad de traslado" listAgencyName="PE:SUNAT" listURI="urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo18">02</cbc:TransportModeCode>` +
    `<cac:TransitPeriod><cbc:StartDate>${esc(issueDate)}</cbc:StartDate></cac:TransitPeriod>` +
    // private transport with a vehicle names its main driver (SUNAT 3357)
    `<cac:DriverPerson><cbc:ID schemeID="1">12345678</cbc:ID><cbc:FirstName>JUAN</cbc:FirstName><cbc:FamilyName>PEREZ</cbc:FamilyName>` +
    `<cbc:JobTitle>Principal</cbc:JobTitle><cac:IdentityDocumentReference><cbc:ID>Q12345678</cbc:ID></cac:IdentityDocumentReference></cac:DriverPerson>` +
    `</cac:ShipmentStage>` +
    `<cac:Delivery><cac:DeliveryAddress><cbc:ID schemeAgencyName="PE:INEI" schemeName="Ubigeos">150101</cbc:ID>` +
    `<cac:AddressLine><cbc:Line>AV. DESTINO 123</cbc:Line></cac:AddressLine></cac:DeliveryAddress>` +
    `<cac:Despatch><cac:DespatchAddress><cbc:ID schemeAgencyName="PE:INEI" schemeName="Ubigeos">150203</cbc:ID>` +
    `<cac:AddressLine><cbc:Line>AV. ORIGEN 456</cbc:Line></cac:AddressLine></cac:DespatchAddress></cac:Despatch></cac:Delivery>` +
    `<cac:TransportHandlingUnit><cac:TransportEquipment><cbc:ID>${esc(plate)}</cbc:ID></cac:TransportEquipment></cac:TransportHandlingUnit>` +
    `</cac:Shipment>` +
    `<cac:DespatchLine><cbc:ID>1</cbc:ID><cbc:DeliveredQuantity unitCode="NIU">1</cbc:DeliveredQuantity>` +
    `<cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference>` +
    `<cac:Item><cbc:Description>${esc(itemDescription)}</cbc:Description>` +
    `<cac:SellersItemIdentification><cbc:ID>P001</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:DespatchLine>` +
    `</DespatchAdvice>\n`
  );
}
