import { randomUUID } from 'node:crypto';
import { createCertificate, type GostCertificate, type GostPrivateKey, generateKeyPair } from 'gost2012';
import { cmsGostSigner, type DigestSigner, rawGostSigner, signDebtRegistry } from 'sber-digest';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, type SberSandboxOptions, type SignRole, startSberSandbox } from '../src/index.js';
import { agentFor, createJson, getState, login, registry, withSandbox } from './helpers.js';

interface Identity {
  uuid: string;
  privateKey: GostPrivateKey;
  certificate: GostCertificate;
}
function identity(cn: string): Identity {
  const { privateKey, publicKey } = generateKeyPair('tc26-256-a');
  return {
    uuid: randomUUID(),
    privateKey,
    certificate: createCertificate({ publicKey, signingKey: privateKey, subject: { commonName: cn } }),
  };
}
const sole = identity('Единственная');
const first = identity('Первая');
const second = identity('Вторая');
const roles: [Identity, SignRole][] = [
  [sole, 'SINGLE'],
  [first, 'FIRST'],
  [second, 'SECOND'],
];
const certificates = roles.map(([id, signRole]) => ({ uuid: id.uuid, certificate: id.certificate.pem, signRole }));
const raw = (id: Identity, layout?: 'sr-be' | 'rs-be' | 'rs-le'): DigestSigner =>
  rawGostSigner({ privateKey: id.privateKey, certificateUuid: id.uuid, layout });

type SignOptions = Parameters<typeof signDebtRegistry>[2];
async function signedBy(
  ids: Identity[],
  overrides: Record<string, unknown> = {},
  o: SignOptions = {},
  signer = raw,
): Promise<Record<string, unknown>> {
  const body = registry(overrides);
  return { ...body, digestSignatures: await Promise.all(ids.map((id) => signDebtRegistry(body as never, signer(id), o))) };
}

describe('strict model: unknown fields and wrong types are VALIDATION_FAULT', () => {
  let sandbox: SberSandbox;
  let agent: Agent;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSberSandbox({ certificates });
    agent = agentFor(sandbox);
    token = (await login(sandbox, agent)).access_token;
  });
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });

  it.each([
    ['a field the model does not have', { comment: 'x' }, 'comment'],
    ['recordNum as a JSON number', { recordNum: 100 }, 'recordNum'],
    ['a top-level fileId (not in DebtRegistry)', { fileId: randomUUID() }, 'fileId'],
    ['an attachment field the model does not have', { bfAttachments: [{ fileId: randomUUID(), size: 3 }] }, 'bfAttachments[0].size'],
    [
      'signType in a Signature',
      { digestSignatures: [{ base64Encoded: 'AAAA', certificateUuid: sole.uuid, signType: 'UKEP_UL' }] },
      'digestSignatures[0].signType',
    ],
  ])('%s', async (_name, patch, field) => {
    const r = await createJson(sandbox, agent, token, registry(patch));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ cause: 'VALIDATION_FAULT', message: 'Ошибка валидации', fieldNames: [field] });
  });
});

describe('every status of the seed is reached', () => {
  let sandbox: SberSandbox;
  let agent: Agent;
  let token: string;
  const scenario: SberSandboxOptions['statusPath'] = (r) =>
    r.orgName === 'ABS'
      ? { path: ['DELIVERED', 'EXPORTED', 'REFUSEDBYABS'], comment: 'Отказано АБС' }
      : r.orgName === 'PARTIAL'
        ? { path: ['PARTIALLY_DOWNLOADED', 'IMPLEMENTED'] }
        : undefined;
  beforeAll(async () => {
    sandbox = await startSberSandbox({ certificates, statusPath: scenario });
    agent = agentFor(sandbox);
    token = (await login(sandbox, agent)).access_token;
  });
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });
  async function statuses(body: Record<string, unknown>, polls: number): Promise<string[]> {
    expect((await createJson(sandbox, agent, token, body)).status).toBe(201);
    const seen: string[] = [];
    for (let i = 0; i < polls; i++) seen.push((await getState(sandbox, agent, token, body.externalId as string)).json.bankStatus);
    return seen;
  }

  it('one of two signatures → PARTSIGNED (waits for the other signer); first and second → SIGNED and on', async () => {
    expect(await statuses(await signedBy([first]), 3)).toEqual(['CREATED', 'PARTSIGNED', 'PARTSIGNED']);
    expect(await statuses(await signedBy([second]), 2)).toEqual(['CREATED', 'PARTSIGNED']);
    expect(await statuses(await signedBy([second, first]), 4)).toEqual(['CREATED', 'SIGNED', 'DELIVERED', 'IMPLEMENTED']);
  });

  it('a sole signature with a first one is refused (the seed: they do not combine)', async () => {
    const r = await createJson(sandbox, agent, token, await signedBy([sole, first]));
    expect(r.json).toMatchObject({ cause: 'VALIDATION_FAULT', fieldNames: ['digestSignatures'] });
  });

  it('statusPath scenarios: EXPORTED → REFUSEDBYABS with its comment, PARTIALLY_DOWNLOADED → IMPLEMENTED', async () => {
    const abs = await signedBy([sole], { orgName: 'ABS' });
    expect(await statuses(abs, 5)).toEqual(['CREATED', 'SIGNED', 'DELIVERED', 'EXPORTED', 'REFUSEDBYABS']);
    expect((await getState(sandbox, agent, token, abs.externalId as string)).json.bankComment).toBe('Отказано АБС');
    expect(await statuses(await signedBy([sole], { orgName: 'PARTIAL' }), 4)).toEqual([
      'CREATED',
      'SIGNED',
      'PARTIALLY_DOWNLOADED',
      'IMPLEMENTED',
    ]);
  });

  it('deleteRegistry: an unsigned or part-signed registry deleted in SBBOL answers DELETED; a signed one cannot be', async () => {
    const unsigned = registry();
    expect(await statuses(unsigned, 1)).toEqual(['CREATED']);
    sandbox.deleteRegistry(unsigned.externalId as string);
    expect((await getState(sandbox, agent, token, unsigned.externalId as string)).json.bankStatus).toBe('DELETED');
    const signed = await signedBy([sole]);
    await statuses(signed, 2);
    expect(() => sandbox.deleteRegistry(signed.externalId as string)).toThrow(/SIGNED cannot be deleted/);
  });
});

describe('errors that need a scenario', () => {
  it('accountUnavailable: WORKFLOW_FAULT "Для внешнего сервиса недоступны операции по счету"', async () => {
    await withSandbox({ accountUnavailable: '40702810038290010000' }, async (sandbox, agent) => {
      const token = (await login(sandbox, agent)).access_token;
      const r = await createJson(sandbox, agent, token, registry());
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({
        cause: 'WORKFLOW_FAULT',
        message: 'Для внешнего сервиса недоступны операции по счету: 40702810038290010000',
      });
      expect(sandbox.stats.registries.size).toBe(0);
    });
  });

  it('stateVisibleAfter and unknownRegistry: a stored registry the bank does not show yet', async () => {
    await withSandbox({ stateVisibleAfter: 2, unknownRegistry: 'VALIDATION_FAULT' }, async (sandbox, agent) => {
      const token = (await login(sandbox, agent)).access_token;
      const body = registry();
      expect((await createJson(sandbox, agent, token, body)).status).toBe(201);
      for (let i = 0; i < 2; i++)
        expect((await getState(sandbox, agent, token, body.externalId as string)).json).toMatchObject({
          cause: 'VALIDATION_FAULT',
          fieldNames: ['externalId'],
        });
      expect((await getState(sandbox, agent, token, body.externalId as string)).json.bankStatus).toBe('CREATED');
    });
  });
});

describe('signature bytes: each guess is an option, and a signature made the other way ends in INVALIDEDS', () => {
  /** The status after three polls of each body, on one sandbox started with `options`. */
  const finals = async (options: SberSandboxOptions, bodies: Record<string, unknown>[]): Promise<string[]> => {
    const out: string[] = [];
    await withSandbox({ certificates, ...options }, async (sandbox, agent) => {
      const token = (await login(sandbox, agent)).access_token;
      for (const body of bodies) {
        expect((await createJson(sandbox, agent, token, body)).status).toBe(201);
        let status = '';
        for (let i = 0; i < 3; i++) status = (await getState(sandbox, agent, token, body.externalId as string)).json.bankStatus;
        out.push(status);
      }
    });
    return out;
  };
  const files = { bfAttachments: [{ fileId: randomUUID() }, { fileId: randomUUID() }] };
  const cases: [
    string,
    SberSandboxOptions,
    SberSandboxOptions,
    Record<string, unknown>,
    SignOptions,
    SignOptions,
    ((id: Identity) => DigestSigner)?,
    ((id: Identity) => DigestSigner)?,
  ][] = [
    ['attachments', {}, { digestAttachments: 'table' }, files, {}, { attachments: 'table' }],
    ['empty fields', {}, { digestEmptyFields: 'keep' }, { recordNum: undefined }, {}, { emptyFields: 'keep' }],
    ['encoding', {}, { digestEncoding: 'windows-1251' }, {}, {}, { encoding: 'windows-1251' }],
    ['byte order', {}, { signatureLayout: 'rs-le' }, {}, {}, {}, (id) => raw(id), (id) => raw(id, 'rs-le')],
    [
      'raw vs CMS',
      { digestSignatureFormat: 'raw' },
      { digestSignatureFormat: 'cms' },
      {},
      {},
      {},
      (id) => raw(id),
      (id) => cmsGostSigner({ privateKey: id.privateKey, certificate: id.certificate, certificateUuid: id.uuid }),
    ],
  ];
  it.each(cases)('%s', async (_name, defaultSide, otherSide, patch, defaultSign, otherSign, defaultSigner = raw, otherSigner = raw) => {
    const made = (o: SignOptions, s: (id: Identity) => DigestSigner) => signedBy([sole], patch, o, s);
    expect(await finals(defaultSide, [await made(defaultSign, defaultSigner), await made(otherSign, otherSigner)])).toEqual([
      'DELIVERED',
      'INVALIDEDS',
    ]);
    expect(await finals(otherSide, [await made(otherSign, otherSigner), await made(defaultSign, defaultSigner)])).toEqual([
      'DELIVERED',
      'INVALIDEDS',
    ]);
  });
});
