// The guides the GRE benches and soaks send (sunat-gre-client, sunat-gre-queue): a realistic unsigned
// DespatchAdvice (~2.4 KB), as @internal/testkit's despatchAdviceXml writes it (the sandbox's default policy
// ignores signatures), issued by `ruc`.

/** `n` guides on one series, numbered from 1: what `submit` and `enqueue` take. */
export function guides(ruc, series, n, from = 1) {
  return Array.from({ length: n }, (_, i) => guide(ruc, series, from + i));
}

/** One guide as `submit` and `enqueue` take it. */
export function guide(ruc, series, number) {
  return { ruc, type: '09', series, number, xml: guideXml(ruc, series, number) };
}

export function guideXml(ruc, series, number) {
  const party = (id, name) =>
    `<cac:Party><cac:PartyIdentification><cbc:ID schemeID="6">${id}</cbc:ID></cac:PartyIdentification><cac:PartyLegalEntity><cbc:RegistrationName>${name}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">` +
    `<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>` +
    `<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>2.0</cbc:CustomizationID><cbc:ID>${series}-${number}</cbc:ID>` +
    `<cbc:IssueDate>2026-01-05</cbc:IssueDate><cbc:IssueTime>10:23:59</cbc:IssueTime><cbc:DespatchAdviceTypeCode listAgencyName="PE:SUNAT">09</cbc:DespatchAdviceTypeCode>` +
    `<cac:DespatchSupplierParty>${party(ruc, 'REMITENTE S.A.C.')}</cac:DespatchSupplierParty><cac:DeliveryCustomerParty>${party('20131312955', 'DESTINATARIO S.A.C.')}</cac:DeliveryCustomerParty>` +
    `<cac:Shipment><cbc:ID>SUNAT_Envio</cbc:ID><cbc:HandlingCode>01</cbc:HandlingCode><cbc:GrossWeightMeasure unitCode="KGM">10.000</cbc:GrossWeightMeasure>` +
    `<cac:ShipmentStage><cbc:TransportModeCode>02</cbc:TransportModeCode><cac:TransitPeriod><cbc:StartDate>2026-01-05</cbc:StartDate></cac:TransitPeriod>` +
    // private transport with a vehicle names its main driver (SUNAT 3357)
    `<cac:DriverPerson><cbc:ID schemeID="1">12345678</cbc:ID><cbc:FirstName>JUAN</cbc:FirstName><cbc:FamilyName>PEREZ</cbc:FamilyName>` +
    `<cbc:JobTitle>Principal</cbc:JobTitle><cac:IdentityDocumentReference><cbc:ID>Q12345678</cbc:ID></cac:IdentityDocumentReference></cac:DriverPerson></cac:ShipmentStage>` +
    `<cac:Delivery><cac:DeliveryAddress><cbc:ID>150101</cbc:ID><cac:AddressLine><cbc:Line>AV. DESTINO 123</cbc:Line></cac:AddressLine></cac:DeliveryAddress>` +
    `<cac:Despatch><cac:DespatchAddress><cbc:ID>150203</cbc:ID><cac:AddressLine><cbc:Line>AV. ORIGEN 456</cbc:Line></cac:AddressLine></cac:DespatchAddress></cac:Despatch></cac:Delivery>` +
    `<cac:TransportHandlingUnit><cac:TransportEquipment><cbc:ID>ABC123</cbc:ID></cac:TransportEquipment></cac:TransportHandlingUnit></cac:Shipment>` +
    `<cac:DespatchLine><cbc:ID>1</cbc:ID><cbc:DeliveredQuantity unitCode="NIU">1</cbc:DeliveredQuantity><cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference>` +
    `<cac:Item><cbc:Description>PRODUCTO DE PRUEBA</cbc:Description><cac:SellersItemIdentification><cbc:ID>P001</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:DespatchLine></DespatchAdvice>\n`
  );
}
