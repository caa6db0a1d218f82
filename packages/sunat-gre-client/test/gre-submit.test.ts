import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreValidationError, type Guide, submitGuide } from '../src/gre/index.js';
import { carrierGuide, makeTestKey, senderGuide, type TestKey } from './gre-fixtures.js';
import { CLIENT, type Rig, startRig } from './helpers.js';

let key: TestKey;
let rig: Rig;
beforeAll(async () => {
  key = await makeTestKey();
  rig = await startRig({ signature: 'required' });
});
afterAll(async () => {
  await rig?.close();
});

let next = 9000;
const own = (g: Guide): Guide => ({ ...g, issuer: { ...g.issuer, ruc: CLIENT.ruc }, number: next++ });

describe('submitGuide against the sandbox (which verifies the XML signature)', () => {
  it('a typed 09 guide → accepted CDR, through the client method and the function', async () => {
    const viaMethod = await rig.client.submitGuide(own(senderGuide()), {
      signing: { pfx: key.pfx, passphrase: key.passphrase },
      timeoutMs: 20_000,
    });
    expect(viaMethod).toMatchObject({ state: 'accepted', code: '0' });
    expect(viaMethod.cdr?.referenceId).toMatch(/^T001-\d+$/);
    const guide = own(carrierGuide());
    const viaFunction = await submitGuide(rig.client, guide, {
      signing: { privateKey: key.privateKeyPem, certificate: key.certificatePem, algorithm: 'rsa-sha1' },
    });
    expect(viaFunction).toMatchObject({ state: 'accepted', code: '0' });
    expect(viaFunction.cdr?.referenceId).toBe(`VA28-${guide.number}`);
  });

  it('refuses a guide SUNAT would refuse before any request', async () => {
    const sends = rig.sandbox.stats.sends;
    const bad = own(senderGuide({ shipment: { ...senderGuide().shipment, grossWeight: 0 } }));
    await expect(rig.client.submitGuide(bad, { signing: { pfx: key.pfx, passphrase: key.passphrase } })).rejects.toSatisfy(
      (e) => GreValidationError.isInstance(e) && e.field === 'shipment.grossWeight' && e.sunatCode === '2523',
    );
    await expect(rig.client.submitGuide(own(senderGuide()), { signing: { pfx: key.pfx, passphrase: 'wrong' } })).rejects.toMatchObject({
      field: 'signing.pfx',
    });
    const aborted = AbortSignal.abort();
    await expect(
      submitGuide(rig.client, own(senderGuide()), { signing: { pfx: key.pfx, passphrase: key.passphrase }, signal: aborted }),
    ).rejects.toBeDefined();
    expect(rig.sandbox.stats.sends).toBe(sends);
  });

  it('the sandbox rejects a document altered after signing with SUNAT 2335', async () => {
    const tampering = {
      submit: (input: Parameters<Rig['client']['submit']>[0], o?: Parameters<Rig['client']['submit']>[1]) =>
        rig.client.submit({ ...input, xml: String(input.xml).replace('Compañía Peruana', 'Compañia Peruana') }, o),
    };
    const result = await submitGuide(tampering, own(senderGuide()), { signing: { pfx: key.pfx, passphrase: key.passphrase } });
    expect(result).toMatchObject({ state: 'rejected', code: '99' });
    expect(result.error?.code).toBe('2335');
  });
});
