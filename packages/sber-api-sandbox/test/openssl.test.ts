import { randomUUID } from 'node:crypto';
import { gostEngineOrSkip, openssl, scratchDir } from '@internal/testkit';
import { buildDebtRegistryDigest, type DebtRegistryDigestInput } from 'sber-digest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, startSberSandbox } from '../src/index.js';
import { agentFor, createJson, getState, login, registry } from './helpers.js';

const ok = gostEngineOrSkip();

describe.skipIf(!ok)("signatures made by OpenSSL's GOST engine", () => {
  const dir = scratchDir('sber-openssl-');
  const uuid = randomUUID();
  let sandbox: SberSandbox;
  beforeAll(async () => {
    openssl([
      'req',
      '-x509',
      '-engine',
      'gost',
      '-newkey',
      'gost2012_256',
      '-pkeyopt',
      'paramset:A',
      '-nodes',
      '-keyout',
      dir.path('key.pem'),
      '-out',
      dir.path('cert.pem'),
      '-subj',
      '/CN=OpenSSL signer',
      '-days',
      '30',
    ]);
    sandbox = await startSberSandbox({ certificates: [{ uuid, certificate: dir.read('cert.pem').toString() }] });
  });
  afterAll(async () => {
    await sandbox.close();
    dir.cleanup();
  });

  it('accepts raw (openssl dgst) and CMS detached (openssl cms) digest signatures', async () => {
    const agent = agentFor(sandbox);
    const { access_token } = await login(sandbox, agent);
    const sign = {
      raw: (file: string) => openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-sign', dir.path('key.pem'), file]),
      cms: (file: string) =>
        openssl([
          'cms',
          '-sign',
          '-engine',
          'gost',
          '-binary',
          '-in',
          file,
          '-signer',
          dir.path('cert.pem'),
          '-inkey',
          dir.path('key.pem'),
          '-md',
          'md_gost12_256',
          '-nosmimecap',
          '-outform',
          'DER',
        ]),
    };
    for (const kind of ['raw', 'cms'] as const) {
      const body = registry({ bfAttachments: [{ fileId: randomUUID() }] });
      const file = dir.write(`digest-${kind}.txt`, buildDebtRegistryDigest(body as unknown as DebtRegistryDigestInput));
      const signature = sign[kind](file);
      const created = await createJson(sandbox, agent, access_token, {
        ...body,
        digestSignatures: [{ base64Encoded: signature.toString('base64'), certificateUuid: uuid }],
      });
      expect(created.status, kind).toBe(201);
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) seen.push((await getState(sandbox, agent, access_token, body.externalId as string)).json.bankStatus);
      expect(seen, kind).toEqual(['CREATED', 'SIGNED', 'DELIVERED', 'IMPLEMENTED']);
    }
    await agent.close();
  });
});
