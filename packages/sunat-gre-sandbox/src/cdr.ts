import { createHash, randomUUID } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { limaIso } from './time.js';

/** What a CDR (SUNAT's `ApplicationResponse`, constancia de recepción) is built from. */
export interface CdrInput {
  /** `RUC-TT-SERIE-NUM` as in the sent file name. */
  baseName: string;
  /** The sender's RUC (`cac:SenderParty`). */
  ruc: string;
  /** The guide's `cbc:ID` (e.g. T001-1). */
  referenceId: string;
  /** The recipient's RUC (`cac:ReceiverParty`, `cac:RecipientParty`), when the guide names one. */
  recipientRuc?: string;
  /** '0' accepted; a 2000–3999 code rejected. */
  responseCode: string;
  /** The verdict's text (`cbc:Description`), e.g. 'El Comprobante numero T001-1, ha sido aceptado', or the rejection code's text. */
  description: string;
  /** Observations, already as `"<code> - <text>"`. */
  notes: string[];
  /** Reception time (`cbc:IssueDate`/`IssueTime`, written in Lima time). */
  receivedAt: Date;
  /** Verdict time (`cbc:ResponseDate`/`ResponseTime`, Lima time). */
  respondedAt: Date;
}

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u0080-\uffff]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The CDR's XML, laid out as SUNAT's real GRE CDR (fixtures/sunat/R-20000000001-09-T001-1.xml). */
export function buildCdrXml(c: CdrInput): string {
  const issued = limaIso(c.receivedAt);
  const responded = limaIso(c.respondedAt);
  const accepted = c.responseCode === '0';
  const hashqr = createHash('sha256').update(`${c.baseName}|${issued}`).digest('base64url');
  const party = (tag: string, id: string): string =>
    `\t<cac:${tag}>\n\t\t<cac:PartyIdentification>\n\t\t\t<cbc:ID>${esc(id)}</cbc:ID>\n\t\t</cac:PartyIdentification>\n\t</cac:${tag}>\n`;
  return (
    `<ar:ApplicationResponse xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:ar="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2">\n` +
    `\t<ext:UBLExtension>\n\t\t<ext:ExtensionContent></ext:ExtensionContent>\n\t</ext:UBLExtension>\n` +
    `\t<cbc:UBLVersionID>2.0</cbc:UBLVersionID>\n\t<cbc:CustomizationID>1.0</cbc:CustomizationID>\n` +
    `\t<cbc:ID>${randomUUID()}</cbc:ID>\n` +
    `\t<cbc:IssueDate>${issued.slice(0, 10)}</cbc:IssueDate>\n\t<cbc:IssueTime>${issued.slice(11)}</cbc:IssueTime>\n` +
    `\t<cbc:ResponseDate>${responded.slice(0, 10)}</cbc:ResponseDate>\n\t<cbc:ResponseTime>${responded.slice(11, 19)}</cbc:ResponseTime>\n` +
    `\t<cac:Signature>\n\t\t<cbc:ID>SignSUNAT</cbc:ID>\n\t\t<cac:SignatoryParty>\n\t\t\t<cac:PartyIdentification>\n\t\t\t\t<cbc:ID>20131312955</cbc:ID>\n\t\t\t</cac:PartyIdentification>\n` +
    `\t\t\t<cac:PartyName>\n\t\t\t\t<cbc:Name>SUNAT</cbc:Name>\n\t\t\t</cac:PartyName>\n\t\t</cac:SignatoryParty>\n` +
    `\t\t<cac:DigitalSignatureAttachment>\n\t\t\t<cac:ExternalReference>\n\t\t\t\t<cbc:URI>#SignSUNAT</cbc:URI>\n\t\t\t</cac:ExternalReference>\n\t\t</cac:DigitalSignatureAttachment>\n\t</cac:Signature>\n` +
    c.notes.map((n) => `\t<cbc:Note>${esc(n)}</cbc:Note>\n`).join('') +
    party('SenderParty', c.ruc) +
    (c.recipientRuc ? party('ReceiverParty', c.recipientRuc) : '') +
    `\t<cac:DocumentResponse>\n\t\t<cac:Response>\n\t\t\t<cbc:ReferenceID>${esc(c.referenceId)}</cbc:ReferenceID>\n` +
    `\t\t\t\t<cbc:ResponseCode>${esc(c.responseCode)}</cbc:ResponseCode>\n\t\t\t\t<cbc:Description>${esc(c.description)}</cbc:Description>\n\t\t</cac:Response>\n` +
    `\t\t<cac:DocumentReference>\n\t\t\t<cbc:ID>${esc(c.referenceId)}</cbc:ID>\n` +
    (accepted
      ? `\t\t\t\t<cbc:DocumentDescription>https://e-factura.sunat.gob.pe/v1/contribuyente/gre/comprobantes/descargaqr?hashqr=${hashqr}</cbc:DocumentDescription>\n`
      : '') +
    `\t\t</cac:DocumentReference>\n` +
    (c.recipientRuc
      ? `\t\t<cac:RecipientParty>\n\t\t\t<cac:PartyIdentification>\n\t\t\t\t<cbc:ID>6-${esc(c.recipientRuc)}</cbc:ID>\n\t\t\t</cac:PartyIdentification>\n\t\t</cac:RecipientParty>\n`
      : '') +
    `\t</cac:DocumentResponse>\n</ar:ApplicationResponse>`
  );
}

/** The CDR zip: one entry `R-<base>.xml`. */
export function buildCdrZip(c: CdrInput): Uint8Array {
  return zipSync({ [`R-${c.baseName}.xml`]: strToU8(buildCdrXml(c)) });
}
