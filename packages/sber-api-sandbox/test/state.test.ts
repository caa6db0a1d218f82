import { randomUUID, webcrypto } from 'node:crypto';
import { Server } from 'node:net';
import { createCertificate, type GostCertificate, type GostPrivateKey, generateKeyPair } from 'gost2012';
import { rawGostSigner, signDebtRegistry } from 'sber-digest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, SberSandboxError, type SberSandboxOptions, type SberSandboxState, startSberSandbox } from '../src/index.js';
import { agentFor, call, createJson, form, getState, login, registry } from './helpers.js';
import { jws } from './jws.js';

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

const OTHER = { clientId: '7710000002', clientSecret: 'other-client-secret', redirectUri: 'https://127.0.0.1/other' };
const pemSigner = identity('Иванов И. И.');
const derSigner = identity('Петров П. П.');
const options: SberSandboxOptions = {
  clients: [{ ...DEFAULT_CLIENT, scopes: [...DEFAULT_CLIENT.scopes] }, OTHER],
  certificates: [{ uuid: pemSigner.uuid, certificate: pemSigner.certificate.pem }],
  pollsPerStatus: 2,
  refuseRule: (r) => (r.orgName === 'Отказ' ? 'Реестр отвергнут банком' : undefined),
};

/** A running sandbox with agents and tokens for both clients. */
async function open(extra: Partial<SberSandboxOptions>) {
  const sandbox = await startSberSandbox({ ...options, ...extra });
  const agent = agentFor(sandbox);
  const otherAgent = agentFor(sandbox, sandbox.issueClientCertificate(OTHER.clientId));
  const { access_token: token, refresh_token: refresh } = await login(sandbox, agent);
  const code = await sandbox.authorize({ clientId: OTHER.clientId, scope: 'openid DEBT_REGISTRY', redirectUri: OTHER.redirectUri });
  const other = await call(otherAgent, `${sandbox.url}/ic/sso/api/v2/oauth/token`, {
    method: 'POST',
    ...form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: OTHER.redirectUri,
      client_id: OTHER.clientId,
      client_secret: OTHER.clientSecret,
    }),
  });
  return {
    sandbox,
    agent,
    otherAgent,
    token,
    refresh,
    otherToken: other.json.access_token as string,
    async close() {
      await agent.close();
      await otherAgent.close();
      await sandbox.close();
    },
  };
}
type Opened = Awaited<ReturnType<typeof open>>;

async function polls(o: Opened, externalId: string, n: number, token = o.token, agent = o.agent): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await getState(o.sandbox, agent, token, externalId);
    expect(r.status).toBe(200);
    seen.push(r.json.bankComment ? `${r.json.bankStatus}:${r.json.bankComment}` : r.json.bankStatus);
  }
  return seen;
}

async function signedBy(id: Identity, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const body = registry(overrides);
  return {
    ...body,
    digestSignatures: [await signDebtRegistry(body as never, rawGostSigner({ privateKey: id.privateKey, certificateUuid: id.uuid }))],
  };
}

describe('snapshot and restore across a restart', () => {
  let before: Opened;
  let after: Opened;
  let saved: SberSandboxState;
  let text: string;
  let oldSecrets: string[];
  let oldCa: string;
  let fileId: string;
  const docs: Record<'unsigned' | 'valid' | 'refused' | 'invalid' | 'other', Record<string, unknown>> = {} as never;
  const id = (k: keyof typeof docs) => docs[k].externalId as string;

  beforeAll(async () => {
    before = await open({});
    before.sandbox.registerCertificate(derSigner.uuid, derSigner.certificate.der);
    const headers = { authorization: `Bearer ${before.token}`, 'content-type': 'application/json' };
    const up = await call(before.agent, `${before.sandbox.url}/fintech/api/v1/files/upload`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'DEBT_REGISTRY', subType: 'TXT' }),
    });
    fileId = up.json.fileId;
    expect((await call(before.agent, `${before.sandbox.url}/fintech/api/v1/files/upload/${fileId}/state`, { headers })).json.status).toBe(
      'CREATED',
    );

    docs.unsigned = registry({ bfAttachments: [{ fileId }] });
    docs.valid = await signedBy(pemSigner);
    docs.refused = await signedBy(derSigner, { orgName: 'Отказ' });
    docs.invalid = { ...(await signedBy(pemSigner)), recordNum: '999' }; // the digest no longer matches
    docs.other = registry();
    for (const k of ['unsigned', 'valid', 'refused', 'invalid'] as const)
      expect((await createJson(before.sandbox, before.agent, before.token, docs[k])).status).toBe(201);
    expect((await createJson(before.sandbox, before.otherAgent, before.otherToken, docs.other)).status).toBe(201);

    expect(await polls(before, id('unsigned'), 1)).toEqual(['CREATED']);
    expect(await polls(before, id('valid'), 3)).toEqual(['CREATED', 'CREATED', 'SIGNED']);
    expect(await polls(before, id('invalid'), 2)).toEqual(['CREATED', 'CREATED']);

    text = JSON.stringify(before.sandbox.snapshot());
    saved = JSON.parse(text) as SberSandboxState;
    oldSecrets = [
      before.token,
      before.refresh,
      before.otherToken,
      before.sandbox.clientTls.key,
      before.sandbox.clientTls.passphrase,
      DEFAULT_CLIENT.clientSecret,
      OTHER.clientSecret,
    ];
    oldCa = before.sandbox.ca;
    await before.close();
    after = await open({ certificates: undefined, state: saved });
  });
  afterAll(async () => {
    await after?.close();
  });

  it('keeps registries with their polls, certificates and files, and no secret', () => {
    expect(saved.version).toBe(1);
    expect(Object.fromEntries(saved.registries.map((r) => [r.externalId, r.polls]))).toEqual({
      [id('unsigned')]: 1,
      [id('valid')]: 3,
      [id('refused')]: 0,
      [id('invalid')]: 2,
      [id('other')]: 0,
    });
    expect(saved.certificates).toEqual([
      { uuid: pemSigner.uuid, certificate: pemSigner.certificate.pem },
      { uuid: derSigner.uuid, certificate: Buffer.from(derSigner.certificate.der).toString('base64') },
    ]);
    expect(saved.files).toEqual([{ fileId, clientId: DEFAULT_CLIENT.clientId, type: 'DEBT_REGISTRY', subType: 'TXT', polls: 1 }]);
    for (const secret of oldSecrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('a snapshot right after restore equals the restored state; counters start at zero, TLS is new', () => {
    expect(after.sandbox.snapshot()).toStrictEqual(saved);
    expect(after.sandbox.stats).toMatchObject({ creates: 0, polls: 0, fileUploads: 0 });
    expect(after.sandbox.stats.registries.get(id('valid'))).toBe(1);
    expect(after.sandbox.ca).not.toBe(oldCa);
  });

  it('old tokens are refused: clients log in again', async () => {
    const r = await getState(after.sandbox, after.agent, oldSecrets[0]!, id('valid'));
    expect(r.status).toBe(401);
  });

  it('state polling continues the same sequence from the same poll', async () => {
    expect(await polls(after, id('unsigned'), 2)).toEqual(['CREATED', 'CREATED']);
    expect(await polls(after, id('valid'), 5)).toEqual(['SIGNED', 'DELIVERED', 'DELIVERED', 'IMPLEMENTED', 'IMPLEMENTED']);
    expect(await polls(after, id('refused'), 5)).toEqual([
      'CREATED',
      'CREATED',
      'SIGNED',
      'SIGNED',
      'REFUSEDBYBANK:Реестр отвергнут банком',
    ]);
    expect(await polls(after, id('invalid'), 1)).toEqual(['INVALIDEDS:ЭП/АСП не верна']);
    const file = await call(after.agent, `${after.sandbox.url}/fintech/api/v1/files/upload/${fileId}/state`, {
      headers: { authorization: `Bearer ${after.token}` },
    });
    expect(file.json).toMatchObject({ fileId, status: 'CREATED' });
  });

  it('a repeated create of a restored externalId is the duplicate WORKFLOW_FAULT', async () => {
    for (const k of ['unsigned', 'valid', 'refused'] as const) {
      const r = await createJson(after.sandbox, after.agent, after.token, docs[k]);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ cause: 'WORKFLOW_FAULT', message: 'Документ с такими реквизитами уже существует' });
    }
    expect(after.sandbox.stats.registries.get(id('valid'))).toBe(1);
  });

  it("another client's registry stays not found; its owner still polls it", async () => {
    expect((await getState(after.sandbox, after.agent, after.token, id('other'))).status).toBe(404);
    expect(await polls(after, id('other'), 1, after.otherToken, after.otherAgent)).toEqual(['CREATED']);
  });

  it('restored certificates work for new creates (JWS kid and digest), and restored files are named', async () => {
    const body = await signedBy(derSigner, { bfAttachments: [{ fileId }] });
    const r = await call(after.agent, `${after.sandbox.url}/fintech/api/v1/debt-registries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${after.token}`, 'content-type': 'application/jose' },
      body: await jws(body, { kid: derSigner.uuid }, derSigner.privateKey),
    });
    expect(r.status).toBe(201);
    expect(r.json.bfAttachments).toEqual([{ fileId, fileName: `DEBT_REGISTRY_${fileId}.txt` }]);
    expect(await polls(after, body.externalId as string, 3)).toEqual(['CREATED', 'CREATED', 'SIGNED']);
    const unknown = identity('Чужой');
    const refused = await createJson(after.sandbox, after.agent, after.token, await signedBy(unknown));
    expect(refused.json.cause).toBe('SIGN_CHECK_EXCEPTION');
  });

  describe('a malformed state is refused before any key is generated', () => {
    const cases: { name: string; mutate: (s: any) => unknown; field: string }[] = [
      { name: 'not an object', mutate: () => [], field: 'state' },
      { name: 'wrong version', mutate: (s) => ({ ...s, version: '1' }), field: 'state.version' },
      { name: 'files missing', mutate: (s) => ({ ...s, files: undefined }), field: 'state.files' },
      { name: 'polls negative', mutate: (s) => void (s.registries[1].polls = -1), field: 'state.registries[1].polls' },
      { name: 'polls as text', mutate: (s) => void (s.registries[0].polls = '1'), field: 'state.registries[0].polls' },
      {
        name: 'unknown bank status',
        mutate: (s) => void (s.registries[2].steps[1].status = 'APPROVED'),
        field: 'state.registries[2].steps[1].status',
      },
      { name: 'empty steps', mutate: (s) => void (s.registries[0].steps = []), field: 'state.registries[0].steps' },
      {
        name: 'document of another externalId',
        mutate: (s) => void (s.registries[0].document.externalId = randomUUID()),
        field: 'state.registries[0].document',
      },
      {
        name: 'repeated externalId',
        mutate: (s) => void (s.registries[1].externalId = s.registries[0].externalId),
        field: 'state.registries[1].externalId',
      },
      { name: 'timesStored zero', mutate: (s) => void (s.registries[0].timesStored = 0), field: 'state.registries[0].timesStored' },
      {
        name: 'certificate not GOST',
        mutate: (s) => void (s.certificates[0].certificate = before.sandbox.ca),
        field: 'state.certificates[0].certificate',
      },
      {
        name: 'certificate not Base64',
        mutate: (s) => void (s.certificates[1].certificate = 'not base64!'),
        field: 'state.certificates[1].certificate',
      },
      { name: 'certificate uuid', mutate: (s) => void (s.certificates[0].uuid = 'kid-1'), field: 'state.certificates[0].uuid' },
      { name: 'file without type', mutate: (s) => void (s.files[0].type = ''), field: 'state.files[0].type' },
    ];
    async function attempt(state: unknown) {
      const generateKey = vi.spyOn(webcrypto.subtle, 'generateKey');
      const listen = vi.spyOn(Server.prototype, 'listen');
      try {
        const outcome = await startSberSandbox({ ...options, state: state as SberSandboxState }).then(
          async (s) => {
            await s.close();
            return undefined;
          },
          (e: unknown) => e,
        );
        return { outcome, keys: generateKey.mock.calls.length, listens: listen.mock.calls.length };
      } finally {
        generateKey.mockRestore();
        listen.mockRestore();
      }
    }
    it('(control: the unchanged state starts, generating keys)', async () => {
      const { outcome, keys, listens } = await attempt(structuredClone(saved));
      expect(outcome).toBeUndefined();
      expect(keys).toBeGreaterThan(0);
      expect(listens).toBeGreaterThan(0);
    });
    it.each(cases)('$name → BAD_OPTION $field', async ({ mutate, field }) => {
      const state = structuredClone(saved);
      const { outcome, keys, listens } = await attempt(mutate(state) ?? state);
      expect(SberSandboxError.isInstance(outcome)).toBe(true);
      expect(outcome).toMatchObject({ code: 'BAD_OPTION', field });
      expect([keys, listens]).toEqual([0, 0]);
    });
  });
});
