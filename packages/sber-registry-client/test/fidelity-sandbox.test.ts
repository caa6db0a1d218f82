import { randomUUID } from 'node:crypto';
import { gostSigner, signCompact } from 'jws-base64url';
import type { BankStatus, SberSandbox, SberSandboxOptions } from 'sber-api-sandbox';
import { rawGostSigner, signDebtRegistry } from 'sber-digest';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionAccessError,
  createSberAuth,
  createSberClient,
  DeserializationFaultError,
  JwsExpectedError,
  memorySberTokenStore,
  type SberClient,
  SignCheckError,
  UnauthorizedError,
  UnavailableResourceError,
  UnknownExceptionError,
  ValidationFaultError,
  WorkflowFaultError,
} from '../src/index.js';
import { connect, DEFAULT_CLIENT, gostIdentity, login, registry, startSberSandbox } from './sandbox-helpers.js';

// Every status and every error of Sber's page, met by the client against the sandbox over mutual TLS.
const sole = gostIdentity();
const first = gostIdentity();
const second = gostIdentity();
const certificates: SberSandboxOptions['certificates'] = [
  { uuid: sole.uuid, certificate: sole.certificate.pem },
  { uuid: first.uuid, certificate: first.certificate.pem, signRole: 'FIRST' },
  { uuid: second.uuid, certificate: second.certificate.pem, signRole: 'SECOND' },
];
const statusPath: SberSandboxOptions['statusPath'] = (r) =>
  r.orgName === 'ABS'
    ? { path: ['DELIVERED', 'EXPORTED', 'REFUSEDBYABS'], comment: 'Отказано АБС' }
    : r.orgName === 'PARTIAL'
      ? { path: ['PARTIALLY_DOWNLOADED', 'IMPLEMENTED'] }
      : undefined;
const refuseRule: SberSandboxOptions['refuseRule'] = (r) => (r.orgName === 'REFUSE' ? 'Реестр отвергнут банком' : undefined);

let sandbox: SberSandbox;
let s: Awaited<ReturnType<typeof connect>>;
beforeAll(async () => {
  sandbox = await startSberSandbox({ certificates, statusPath, refuseRule });
  s = await connect(sandbox);
});
afterAll(async () => {
  await s?.close();
  await sandbox?.close();
});

/** Creates a registry as arranged, then polls it (waitForFinalState, or getState for a status that stays): every status seen. */
async function statusesOf(
  arrange: 'unsigned' | 'deleted' | 'first-only' | 'first-and-second' | 'bad-signature' | 'REFUSE' | 'ABS' | 'PARTIAL' | 'default',
): Promise<string[]> {
  const r = registry(['REFUSE', 'ABS', 'PARTIAL'].includes(arrange) ? { orgName: arrange } : {});
  const seen: string[] = [];
  const client = s.client;
  if (arrange === 'unsigned' || arrange === 'deleted' || arrange === 'first-only') {
    await client.debtRegistries.create(r, arrange === 'first-only' ? { digestSigner: first.digestSigner } : {});
    seen.push((await client.debtRegistries.getState(r.externalId)).bankStatus!);
    if (arrange === 'deleted') sandbox.deleteRegistry(r.externalId);
    seen.push((await client.debtRegistries.getState(r.externalId)).bankStatus!);
    return seen;
  }
  const signer =
    arrange === 'bad-signature' ? rawGostSigner({ privateKey: gostIdentity().privateKey, certificateUuid: sole.uuid }) : sole.digestSigner;
  if (arrange === 'first-and-second') {
    // the first signer's signature goes in the registry, the second's is added by create
    const one = await signDebtRegistry(r, first.digestSigner);
    await client.debtRegistries.create({ ...r, digestSignatures: [one] }, { digestSigner: second.digestSigner });
  } else await client.debtRegistries.create(r, { digestSigner: signer });
  await client.debtRegistries.waitForFinalState(r.externalId, { onStatus: (state) => void seen.push(state.bankStatus!) });
  return seen;
}

describe('the client meets every status of the page', () => {
  const cases: [BankStatus, Parameters<typeof statusesOf>[0], boolean][] = [
    ['CREATED', 'unsigned', false],
    ['DELETED', 'deleted', true],
    ['PARTSIGNED', 'first-only', false],
    ['SIGNED', 'first-and-second', false],
    ['INVALIDEDS', 'bad-signature', true],
    ['REFUSEDBYBANK', 'REFUSE', true],
    ['EXPORTED', 'ABS', false],
    ['IMPLEMENTED', 'default', true],
    ['REFUSEDBYABS', 'ABS', true],
    ['DELIVERED', 'default', false],
    ['PARTIALLY_DOWNLOADED', 'PARTIAL', false],
  ];
  it.each(cases)('%s', async (status, arrange, terminal) => {
    const seen = await statusesOf(arrange);
    expect(seen).toContain(status);
    // a final status ends the wait; any other is followed by more polls (or stays, for CREATED/PARTSIGNED)
    if (terminal) expect(seen.at(-1)).toBe(status);
    else expect(seen.at(-1) === status ? ['CREATED', 'PARTSIGNED'].includes(status) : true).toBe(true);
  });
});

/** A client whose requests go through `rewrite` (the body the bank receives), over the same mutual TLS. */
function rewritingClient(rewrite: (body: string) => string): { client: SberClient; agent: Agent } {
  const agent = new Agent({ connect: { cert: sandbox.clientTls.cert, key: sandbox.clientTls.key, ca: sandbox.ca } });
  const dispatcher: Dispatcher = agent.compose(
    (dispatch) => (opts, handler) => dispatch(opts.method === 'POST' ? { ...opts, body: rewrite(String(opts.body)) } : opts, handler),
  );
  return { client: createSberClient({ environment: { baseUrl: sandbox.url }, auth: s.auth, dispatcher, maxRetries: 0 }), agent };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('the client meets every error of the page', () => {
  it('400 DESERIALIZATION_FAULT', async () => {
    const { client, agent } = rewritingClient(() => '{"externalId":');
    try {
      expect(DeserializationFaultError.isInstance(await rejection(client.debtRegistries.create(registry())))).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it('400 WORKFLOW_FAULT: the same number again this year (duplicate)', async () => {
    const r = registry();
    await s.client.debtRegistries.create(r);
    const e = await rejection(s.client.debtRegistries.create({ ...r, externalId: randomUUID() }));
    expect(WorkflowFaultError.isInstance(e) && e.isDuplicate).toBe(true);
  });

  it('400 WORKFLOW_FAULT: operations on the account unavailable', async () => {
    const other = await startSberSandbox({ accountUnavailable: '40702810038290010000' });
    const c = await connect(other);
    try {
      const e = await rejection(c.client.debtRegistries.create(registry()));
      expect(WorkflowFaultError.isInstance(e) && !e.isDuplicate && e.message.includes('недоступны операции по счету')).toBe(true);
    } finally {
      await c.close();
      await other.close();
    }
  });

  it.each([
    ['kid missing', { alg: 'gost34.10-2012' }, 'Не указан идентификатор сертификата подписи'],
    ['kid not a UUID', { alg: 'gost34.10-2012', kid: 'not-a-uuid' }, 'Некорректный формат параметра kid заголовка JWS'],
  ])('400 WORKFLOW_FAULT: %s', async (_name, protectedHeader, text) => {
    const signer = gostSigner({ privateKey: sole.privateKey });
    const agent = new Agent({ connect: { cert: sandbox.clientTls.cert, key: sandbox.clientTls.key, ca: sandbox.ca } });
    const jwsBody = await signCompact(JSON.stringify(registry()), { protectedHeader, signer });
    const patched = createSberClient({
      environment: { baseUrl: sandbox.url },
      auth: s.auth,
      maxRetries: 0,
      dispatcher: agent.compose(
        (dispatch) => (opts, handler) =>
          dispatch(
            opts.method === 'POST'
              ? { ...opts, body: jwsBody, headers: { ...(opts.headers as Record<string, string>), 'content-type': 'application/jose' } }
              : opts,
            handler,
          ),
      ),
    });
    try {
      const e = await rejection(patched.debtRegistries.create(registry()));
      expect(WorkflowFaultError.isInstance(e) && e.message.includes(text)).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it('400 VALIDATION_FAULT', async () => {
    const { client, agent } = rewritingClient((body) => JSON.stringify({ ...JSON.parse(body), recordNum: 100 }));
    try {
      const e = await rejection(client.debtRegistries.create(registry()));
      expect(ValidationFaultError.isInstance(e)).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it('400 SIGN_CHECK_EXCEPTION', async () => {
    const unknown = rawGostSigner({ privateKey: sole.privateKey, certificateUuid: randomUUID() });
    expect(SignCheckError.isInstance(await rejection(s.client.debtRegistries.create(registry(), { digestSigner: unknown })))).toBe(true);
  });

  it('401 UNAUTHORIZED', async () => {
    const client = createSberClient({
      environment: { baseUrl: sandbox.url },
      tls: { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase },
      ca: sandbox.ca,
      auth: { getToken: async () => randomUUID(), invalidate: async () => undefined } as never,
    });
    try {
      expect(UnauthorizedError.isInstance(await rejection(client.debtRegistries.getState(randomUUID())))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('403 ACTION_ACCESS_EXCEPTION', async () => {
    const tls = { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase };
    const auth = createSberAuth({
      environment: { baseUrl: sandbox.url },
      loginBaseUrl: sandbox.loginUrl,
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      tls,
      ca: sandbox.ca,
      store: memorySberTokenStore(),
    });
    await auth.exchangeCode(await login(sandbox, auth, 'openid FILES'), DEFAULT_CLIENT.redirectUri);
    const client = createSberClient({ environment: { baseUrl: sandbox.url }, tls, ca: sandbox.ca, auth });
    try {
      expect(ActionAccessError.isInstance(await rejection(client.debtRegistries.create(registry())))).toBe(true);
    } finally {
      await client.close();
      await auth.close();
    }
  });

  it('415 JWS_EXCEPTED', async () => {
    const other = await startSberSandbox({ requireJws: true });
    const c = await connect(other);
    try {
      expect(JwsExpectedError.isInstance(await rejection(c.client.debtRegistries.create(registry())))).toBe(true);
    } finally {
      await c.close();
      await other.close();
    }
  });

  it('500 UNKNOWN_EXCEPTION', async () => {
    sandbox.faults.inject({ on: 'state', kind: 'status500', count: 5 });
    const client = createSberClient({
      environment: { baseUrl: sandbox.url },
      tls: { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase },
      ca: sandbox.ca,
      auth: s.auth,
      maxRetries: 0,
    });
    try {
      expect(UnknownExceptionError.isInstance(await rejection(client.debtRegistries.getState(randomUUID())))).toBe(true);
    } finally {
      sandbox.faults.clear();
      await client.close();
    }
  });

  it('503 UNAVAILABLE_RESOURCE_EXCEPTION', async () => {
    sandbox.faults.inject({ on: 'state', kind: 'status503', count: 5 });
    const client = createSberClient({
      environment: { baseUrl: sandbox.url },
      tls: { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase },
      ca: sandbox.ca,
      auth: s.auth,
      maxRetries: 0,
    });
    try {
      expect(UnavailableResourceError.isInstance(await rejection(client.debtRegistries.getState(randomUUID())))).toBe(true);
    } finally {
      sandbox.faults.clear();
      await client.close();
    }
  });
});

describe('an ambiguous create against a bank that shows a new registry late (state unknown ≠ absent)', () => {
  const withLateBank = async (
    stateVisibleAfter: number,
    fn: (bank: SberSandbox, c: Awaited<ReturnType<typeof connect>>) => Promise<void>,
  ) => {
    const bank = await startSberSandbox({ stateVisibleAfter, unknownRegistry: 'VALIDATION_FAULT' });
    const c = await connect(bank);
    try {
      await fn(bank, c);
    } finally {
      await c.close();
      await bank.close();
    }
  };

  it('asks the state again until the bank shows it: recovered, stored once', async () => {
    await withLateBank(2, async (bank, c) => {
      const { number: _n, ...r } = registry();
      bank.faults.inject({ on: 'create', kind: 'resetAfterStore' });
      expect(await c.client.debtRegistries.create(r)).toMatchObject({ recovered: true, bankStatus: 'CREATED' });
      expect(bank.stats.registries.get(r.externalId)).toBe(1);
    });
  });

  it('without a number, never resent: SberAmbiguousCreateError that says it may exist, stored once', async () => {
    await withLateBank(1000, async (bank, c) => {
      const { number: _n, ...r } = registry();
      bank.faults.inject({ on: 'create', kind: 'resetAfterStore' });
      const e = await rejection(c.client.debtRegistries.create(r));
      expect(e).toMatchObject({ code: 'AMBIGUOUS_CREATE', externalId: r.externalId, message: expect.stringMatching(/may exist/) });
      expect(bank.stats.registries.get(r.externalId)).toBe(1);
      expect(bank.stats.creates).toBe(1);
    });
  });

  it('with a number, the resend is refused as a duplicate: that refusal is the proof, stored once', async () => {
    await withLateBank(1000, async (bank, c) => {
      const r = registry();
      bank.faults.inject({ on: 'create', kind: 'resetAfterStore' });
      expect(await c.client.debtRegistries.create(r)).toMatchObject({ recovered: true, bankStatus: undefined });
      expect(bank.stats.registries.get(r.externalId)).toBe(1);
      expect(bank.stats.creates).toBe(2);
    });
  });
});

describe('the signature-byte options pass through create (docs/sber-signature-bytes.md)', () => {
  it('a bank that reads Windows-1251 and empty fields as `key=`: only the matching create reaches IMPLEMENTED', async () => {
    const bank = await startSberSandbox({
      certificates: [{ uuid: sole.uuid, certificate: sole.certificate.pem }],
      digestEncoding: 'windows-1251',
      digestEmptyFields: 'keep',
    });
    const c = await connect(bank);
    try {
      const { recordNum: _r, ...matching } = registry();
      await c.client.debtRegistries.create(matching, {
        digestSigner: sole.digestSigner,
        digestEncoding: 'windows-1251',
        digestEmptyFields: 'keep',
      });
      expect((await c.client.debtRegistries.waitForFinalState(matching.externalId)).bankStatus).toBe('IMPLEMENTED');
      const { recordNum: _s, ...defaults } = registry();
      await c.client.debtRegistries.create(defaults, { digestSigner: sole.digestSigner });
      expect((await c.client.debtRegistries.waitForFinalState(defaults.externalId)).bankStatus).toBe('INVALIDEDS');
    } finally {
      await c.close();
      await bank.close();
    }
  });
});
