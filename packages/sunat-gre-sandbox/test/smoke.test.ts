import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers.js';

describe('token → send → status over HTTPS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('accepts a guide after one pending poll and returns the CDR', async () => {
    expect(h.sandbox.authUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    const token = await h.token();
    const sent = await h.send(token, { number: 7 });
    expect(sent.status).toBe(200);
    expect(sent.json.numTicket).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.json.fecRecepcion).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const first = await h.status(token, sent.json.numTicket);
    expect(first.json).toEqual({ codRespuesta: '98' });
    const done = await h.status(token, sent.json.numTicket);
    expect(done.json.codRespuesta).toBe('0');
    expect(done.json.indCdrGenerado).toBe('1');
    const files = unzipSync(Buffer.from(done.json.arcCdr, 'base64'));
    expect(Object.keys(files)).toEqual(['R-20000000001-09-T001-7.xml']);
    expect(strFromU8(files['R-20000000001-09-T001-7.xml']!)).toContain('<cbc:ResponseCode>0</cbc:ResponseCode>');
    expect(h.sandbox.stats.received.get('20000000001-09-T001-7.zip')).toBe(1);
  });
});
