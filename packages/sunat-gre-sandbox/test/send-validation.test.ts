import { createHash } from 'node:crypto';
import { despatchAdviceXml, traversalZip, zipBomb } from '@internal/testkit';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { greService } from '../src/gre.js';

const claims = { ruc: '20000000001', clientId: 'c', gre: true };
const BASE = '20000000001-09-T001-1';

function envelope(zip: Uint8Array, nomArchivo = `${BASE}.zip`, hash = createHash('sha256').update(zip).digest('hex')): Buffer {
  return Buffer.from(JSON.stringify({ archivo: { nomArchivo, arcGreZip: Buffer.from(zip).toString('base64'), hashZip: hash } }));
}
const zipOf = (xml: string, name = `${BASE}.xml`): Uint8Array => zipSync({ [name]: strToU8(xml) });
const guide = (over: Partial<Parameters<typeof despatchAdviceXml>[0]> = {}): string =>
  despatchAdviceXml({ ruc: '20000000001', type: '09', series: 'T001', number: 1, ...over });

/** The codes of a 422 answer, whichever of the two documented shapes it has. */
function codes(answer: { status: number; body: unknown }): string[] {
  expect(answer.status).toBe(422);
  const body = answer.body as { cod: unknown; errors: Record<string, unknown>[] };
  return body.errors.map((e) => String(e['cod'] ?? e['codError']));
}

describe('every 422 path of the send', () => {
  const svc = (): ReturnType<typeof greService> => greService({ pendingPolls: 1, signature: 'ignore', errorShape: 'manual' });
  const cases: [string, string, Buffer, string[]][] = [
    ['path without four parts', '20000000001-09-T001', envelope(zipOf(guide())), ['0151']],
    ['bad RUC in path', '2000000000X-09-T001-1', envelope(zipOf(guide())), ['500']],
    ['codCpe 01', '20000000001-01-T001-1', envelope(zipOf(guide())), ['501']],
    ['series of 3', '20000000001-09-T01-1', envelope(zipOf(guide())), ['502']],
    ['series of the wrong type', '20000000001-09-V001-1', envelope(zipOf(guide())), ['1001']],
    ['number of 9 digits', '20000000001-09-T001-123456789', envelope(zipOf(guide())), ['503']],
    ['another RUC than the token', '20100070970-09-T001-1', envelope(zipOf(guide())), ['0154']],
    ['no archivo', BASE, Buffer.from('{"file":{}}'), ['504']],
    ['empty fields', BASE, Buffer.from('{"archivo":{"nomArchivo":"","arcGreZip":"@@","hashZip":"xyz"}}'), ['505', '506', '507']],
    ['nomArchivo of another document', BASE, envelope(zipOf(guide()), '20000000001-09-T001-2.zip'), ['0151']],
    ['hash of other bytes', BASE, envelope(zipOf(guide()), undefined, 'a'.repeat(64)), ['508']],
    ['not a zip', BASE, envelope(strToU8('hello, not a zip')), ['0156']],
    ['empty zip file', BASE, envelope(new Uint8Array(0)), ['0155']],
    ['zip without entries', BASE, envelope(zipSync({})), ['0157']],
    ['two entries', BASE, envelope(zipSync({ [`${BASE}.xml`]: strToU8(guide()), 'b.xml': strToU8('<a/>') })), ['0158']],
    ['traversal', BASE, envelope(traversalZip()), ['0159']],
    ['XML named otherwise', BASE, envelope(zipOf(guide(), '20000000001-09-T001-2.xml')), ['0161']],
    ['empty XML', BASE, envelope(zipOf('')), ['0160']],
    ['malformed XML', BASE, envelope(zipOf('<DespatchAdvice><a></DespatchAdvice>')), ['0306']],
    ['DTD', BASE, envelope(zipOf('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')), ['0306']],
    ['another root', BASE, envelope(zipOf('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')), ['0301']],
    ['no cbc:ID', BASE, envelope(zipOf(guide().replace(/<cbc:ID>T001-1<\/cbc:ID>/, ''))), ['1002']],
    ['cbc:ID without a series', BASE, envelope(zipOf(guide({ series: 'T1', number: 1 }))), ['1001']],
    ['other RUC in the XML', BASE, envelope(zipOf(guide({ ruc: '20100070970' }))), ['1034']],
    ['other series in the XML', BASE, envelope(zipOf(guide({ series: 'T002' }))), ['1035']],
    ['other number in the XML', BASE, envelope(zipOf(guide({ number: 2 }))), ['1036']],
    ['other type in the XML', BASE, envelope(zipOf(guide({ type: '31' }))), ['1052']],
  ];
  it.each(cases)('%s', (_name, base, body, expected) => {
    const answer = svc().send(claims, base, body, 'application/json');
    expect(codes(answer)).toEqual(expected);
    expect(answer.stored).toBe(false);
  });

  it('refuses a zip bomb without inflating it', () => {
    const answer = svc().send(claims, BASE, envelope(zipBomb(`${BASE}.xml`, 64 * 1024 * 1024)), 'application/json');
    expect(codes(answer)).toEqual(['0156']);
  });

  it('answers 400 to a body that is not JSON and 415 to another media type', () => {
    expect(svc().send(claims, BASE, Buffer.from('{'), 'application/json').status).toBe(400);
    expect(svc().send(claims, BASE, envelope(zipOf(guide())), 'text/plain').status).toBe(415);
  });

  it('accepts a zero-padded number in the path and XML', () => {
    const base = '20000000001-09-T001-00000001';
    const xml = guide({ number: '00000001' });
    const answer = svc().send(claims, base, envelope(zipOf(xml, `${base}.xml`), `${base}.zip`), 'application/json');
    expect(answer.status).toBe(200);
  });

  it('alternates the two documented 422 shapes by default', () => {
    const s = greService({ pendingPolls: 1, signature: 'ignore', errorShape: 'alternate' });
    const a = s.send(claims, '20000000001-01-T001-1', Buffer.from('{}'), 'application/json').body as Record<string, unknown>;
    const b = s.send(claims, '20000000001-01-T001-1', Buffer.from('{}'), 'application/json').body as Record<string, unknown>;
    expect(a).toMatchObject({ cod: 422, errors: [{ cod: 501, msg: 'El valor de codCpe no permitido o no válido' }] });
    expect(b).toMatchObject({
      cod: '422',
      exc: null,
      errors: [{ codError: '501', desError: 'El valor de codCpe no permitido o no válido' }],
    });
  });
});
