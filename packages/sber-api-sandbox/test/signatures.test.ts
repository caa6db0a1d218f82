import { randomUUID } from 'node:crypto';
import { createCertificate, type GostCertificate, type GostPrivateKey, generateKeyPair } from 'gost2012';
import { cmsGostSigner, type DigestSigner, rawGostSigner, signDebtRegistry } from 'sber-digest';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, SberSandboxError, startSberSandbox } from '../src/index.js';
import { agentFor, call, createJson, getState, login, registry } from './helpers.js';
import { jws } from './jws.js';

interface Identity {
  uuid: string;
  privateKey: GostPrivateKey;
  certificate: GostCertificate;
}
function identity(cn: string, paramSet: 'tc26-256-a' | 'cryptopro-a' | 'tc26-512-a' = 'tc26-256-a'): Identity {
  const { privateKey, publicKey } = generateKeyPair(paramSet);
  return {
    uuid: randomUUID(),
    privateKey,
    certificate: createCertificate({ publicKey, signingKey: privateKey, subject: { commonName: cn, organization: 'ООО "Клиент"' } }),
  };
}

describe('signatures', () => {
  const signer = identity('Иванов И. И.');
  const signer512 = identity('Петров П. П.', 'tc26-512-a');
  const stranger = identity('Чужой');
  let sandbox: SberSandbox;
  let agent: Agent;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSberSandbox({
      certificates: [{ uuid: signer.uuid, certificate: signer.certificate.pem }],
      pollsPerStatus: 2,
      refuseRule: (r) => (r.orgName === 'Отказ' ? 'Реестр отвергнут банком' : undefined),
    });
    sandbox.registerCertificate(signer512.uuid, signer512.certificate.der);
    agent = agentFor(sandbox);
    token = (await login(sandbox, agent)).access_token;
  });
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });

  const raw = (id: Identity, certificateUuid = id.uuid): DigestSigner => rawGostSigner({ privateKey: id.privateKey, certificateUuid });
  const cms = (id: Identity): DigestSigner =>
    cmsGostSigner({ privateKey: id.privateKey, certificate: id.certificate, certificateUuid: id.uuid });
  async function signed(digestSigner: DigestSigner, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const body = registry(overrides);
    return { ...body, digestSignatures: [await signDebtRegistry(body as never, digestSigner)] };
  }
  async function statuses(externalId: string, polls: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < polls; i++) seen.push((await getState(sandbox, agent, token, externalId)).json.bankStatus);
    return seen;
  }
  const createJose = (compact: string) =>
    call(agent, `${sandbox.url}/fintech/api/v1/debt-registries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/jose' },
      body: compact,
    });

  it('a raw digest signature moves CREATED → SIGNED → DELIVERED → IMPLEMENTED over polls', async () => {
    const body = await signed(raw(signer), { bfAttachments: [{ fileId: randomUUID() }] });
    const r = await createJson(sandbox, agent, token, body);
    expect(r.status).toBe(201);
    expect(r.json.bankStatus).toBe('CREATED');
    expect(await statuses(body.externalId as string, 9)).toEqual([
      'CREATED',
      'CREATED',
      'SIGNED',
      'SIGNED',
      'DELIVERED',
      'DELIVERED',
      'IMPLEMENTED',
      'IMPLEMENTED',
      'IMPLEMENTED',
    ]);
  });

  it('accepts CMS detached signatures and 512-bit keys', async () => {
    for (const body of [await signed(cms(signer)), await signed(raw(signer512))]) {
      expect((await createJson(sandbox, agent, token, body)).status).toBe(201);
      expect((await statuses(body.externalId as string, 7)).at(-1)).toBe('IMPLEMENTED');
    }
  });

  it('a digest signature that does not verify is accepted, then ends in INVALIDEDS', async () => {
    const wrongKey = await signed(raw(stranger, signer.uuid)); // registered uuid, someone else's key
    const tampered = await signed(raw(signer));
    tampered.orgName = 'ООО "Другой"'; // the digest no longer matches
    const garbage = registry({
      digestSignatures: [{ base64Encoded: Buffer.alloc(64, 7).toString('base64'), certificateUuid: signer.uuid }],
    });
    const brokenCms = registry({
      digestSignatures: [{ base64Encoded: Buffer.alloc(300, 0x30).toString('base64'), certificateUuid: signer.uuid }],
    });
    for (const body of [wrongKey, tampered, garbage, brokenCms]) {
      const r = await createJson(sandbox, agent, token, body);
      expect(r.status).toBe(201);
      expect(await statuses(body.externalId as string, 4)).toEqual(['CREATED', 'CREATED', 'INVALIDEDS', 'INVALIDEDS']);
      const last = await getState(sandbox, agent, token, body.externalId as string);
      expect(last.json.bankComment).toBe('ЭП/АСП не верна');
    }
  });

  it('refuseRule ends a signed registry in REFUSEDBYBANK with its comment', async () => {
    const body = await signed(raw(signer), { orgName: 'Отказ' });
    expect((await createJson(sandbox, agent, token, body)).status).toBe(201);
    expect(await statuses(body.externalId as string, 6)).toEqual([
      'CREATED',
      'CREATED',
      'SIGNED',
      'SIGNED',
      'REFUSEDBYBANK',
      'REFUSEDBYBANK',
    ]);
    expect((await getState(sandbox, agent, token, body.externalId as string)).json.bankComment).toBe('Реестр отвергнут банком');
  });

  it('accepts a JWS (gost34.10-2012, kid = certificate UUID) with a signed registry', async () => {
    const body = await signed(raw(signer));
    const r = await createJose(await jws(body, { kid: signer.uuid }, signer.privateKey));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ externalId: body.externalId, bankStatus: 'CREATED' });
    expect((await statuses(body.externalId as string, 7)).at(-1)).toBe('IMPLEMENTED');
  });

  it("answers Sber's errors for a bad JWS", async () => {
    const body = registry();
    const cases: [string, number, string, string][] = [
      [await jws(body, {}, signer.privateKey), 400, 'WORKFLOW_FAULT', 'Не указан идентификатор сертификата подписи'],
      [await jws(body, { kid: 'not-a-uuid' }, signer.privateKey), 400, 'WORKFLOW_FAULT', 'Некорректный формат параметра kid заголовка JWS'],
      [
        await jws(body, { kid: randomUUID() }, signer.privateKey),
        400,
        'SIGN_CHECK_EXCEPTION',
        'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
      ],
      [
        await jws(body, { kid: signer.uuid }, stranger.privateKey),
        400,
        'SIGN_CHECK_EXCEPTION',
        'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
      ],
      [
        await jws(body, { kid: signer.uuid, alg: 'RS256' }, signer.privateKey),
        400,
        'SIGN_CHECK_EXCEPTION',
        'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
      ],
      ['not.a-jws', 400, 'DESERIALIZATION_FAULT', 'Неверный формат запроса'],
      ['a.b.c.d', 400, 'DESERIALIZATION_FAULT', 'Неверный формат запроса'],
    ];
    const valid = await jws(body, { kid: signer.uuid }, signer.privateKey);
    const [h, , s] = valid.split('.');
    cases.push([`${h}=.${valid.split('.')[1]}.${s}`, 400, 'DESERIALIZATION_FAULT', 'Неверный формат запроса']); // Base64Url has no padding
    cases.push([
      `${h}.${Buffer.from(JSON.stringify({ ...body, orgName: 'x' })).toString('base64url')}.${s}`,
      400,
      'SIGN_CHECK_EXCEPTION',
      'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
    ]);
    for (const [compact, status, cause, message] of cases) {
      const r = await createJose(compact);
      expect(r.status, compact.slice(0, 40)).toBe(status);
      expect(r.json).toMatchObject({ cause, message, referenceId: expect.any(String) });
    }
    expect(sandbox.stats.registries.has(body.externalId as string)).toBe(false);
    expect((await createJose(valid)).status).toBe(201);
  });

  it('a certificate that is not valid now is refused at create (SIGN_CHECK_EXCEPTION), for JWS and digest', async () => {
    const { privateKey, publicKey } = generateKeyPair('tc26-256-a');
    const expired: Identity = {
      uuid: randomUUID(),
      privateKey,
      certificate: createCertificate({
        publicKey,
        signingKey: privateKey,
        subject: { commonName: 'Expired' },
        notBefore: new Date('2020-01-01'),
        notAfter: new Date('2021-01-01'),
      }),
    };
    sandbox.registerCertificate(expired.uuid, expired.certificate.pem);
    const body = await signed(raw(expired));
    const digest = await createJson(sandbox, agent, token, body);
    expect(digest.json).toMatchObject({ cause: 'SIGN_CHECK_EXCEPTION' });
    const viaJws = await createJose(await jws(registry(), { kid: expired.uuid }, expired.privateKey));
    expect(viaJws.json).toMatchObject({ cause: 'SIGN_CHECK_EXCEPTION' });
  });

  it('lists the registered certificates in /v1/crypto', async () => {
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const uuids = r.json.cryptoProfileInfos.flatMap((p: any) => p.certificateInfos.map((c: any) => c.uuid));
    expect(uuids).toEqual(expect.arrayContaining([signer.uuid, signer512.uuid]));
    const info = r.json.cryptoProfileInfos[0].certificateInfos.find((c: any) => c.uuid === signer.uuid);
    expect(info.serialNumber).toBe(signer.certificate.serialNumber);
    expect(typeof r.json.certBank).toBe('string');
  });

  it('refuses to register something that is not a GOST certificate', () => {
    expect(() => sandbox.registerCertificate(randomUUID(), sandbox.ca)).toThrow(SberSandboxError);
    expect(() => sandbox.registerCertificate('nope', signer.certificate.pem)).toThrow(/UUID/);
  });
});
