import { inspect } from 'node:util';
import type { SberSandbox } from 'sber-api-sandbox';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSberAuth,
  createSberClient,
  JwsExpectedError,
  memorySberTokenStore,
  SberAuthError,
  SberTransportError,
  SberValidationError,
  SignCheckError,
} from '../src/index.js';
import { createAgent } from '../src/tls.js';
import { connect, DEFAULT_CLIENT, gostIdentity, registry, startSberSandbox } from './sandbox-helpers.js';

const id = gostIdentity();
const other = gostIdentity();

describe('against the sandbox over mutual TLS', () => {
  let sandbox: SberSandbox;
  let s: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    sandbox = await startSberSandbox({
      certificates: [
        { uuid: id.uuid, certificate: id.certificate.pem },
        { uuid: other.uuid, certificate: other.certificate.pem },
      ],
    });
    s = await connect(sandbox);
  });
  afterAll(async () => {
    await s?.close();
    await sandbox?.close();
  });

  it('authorize → code → token → digest → sign → create (JSON) → poll → IMPLEMENTED', async () => {
    const info = await s.client.crypto.getInfo();
    expect(info.cryptoProfileInfos?.flatMap((p) => p.certificateInfos ?? []).map((c) => c.uuid)).toContain(id.uuid);
    const r = registry();
    const created = await s.client.debtRegistries.create(r, { digestSigner: id.digestSigner });
    expect(created).toMatchObject({ externalId: r.externalId, bankStatus: 'CREATED', recovered: false });
    expect((created.document.digestSignatures as unknown[]).length).toBe(1);
    const seen: string[] = [];
    const final = await s.client.debtRegistries.waitForFinalState(r.externalId, { onStatus: (st) => seen.push(String(st.bankStatus)) });
    expect(final.bankStatus).toBe('IMPLEMENTED');
    expect(seen).toEqual(['CREATED', 'SIGNED', 'DELIVERED', 'IMPLEMENTED']);
    expect(sandbox.stats.registries.get(r.externalId)).toBe(1);
  });

  it('a digest signed with another key ends in INVALIDEDS', async () => {
    const r = registry();
    const forged = { ...other.digestSigner, certificateUuid: id.uuid, sign: other.digestSigner.sign };
    await s.client.debtRegistries.create(r, { digestSigner: forged });
    expect((await s.client.debtRegistries.waitForFinalState(r.externalId)).bankStatus).toBe('INVALIDEDS');
  });

  it('validation errors name field and rule, and nothing reaches the server', async () => {
    const before = sandbox.stats.creates;
    const e = await s.client.debtRegistries
      .create(registry({ orgTaxNumber: '7707012345' }), { digestSigner: id.digestSigner })
      .catch((x: unknown) => x);
    expect(SberValidationError.isInstance(e) && [e.field, e.rule]).toEqual(['registry.orgTaxNumber', 'inn']);
    expect(sandbox.stats.creates).toBe(before);
  });

  it('files: upload and state', async () => {
    const up = await s.client.files.upload({ type: 'DEBT_REGISTRY', subType: 'TXT' });
    expect(typeof up.fileId).toBe('string');
    const st = await s.client.files.getState(String(up.fileId));
    expect(st.fileId).toBe(up.fileId);
  });

  it('a missing client certificate is refused in the handshake: typed error, no request reaches the server', async () => {
    const noCert = new Agent({ connect: { ca: sandbox.ca } });
    const client = createSberClient({
      environment: { baseUrl: sandbox.url },
      auth: s.auth,
      dispatcher: noCert,
      maxRetries: 1,
      retryDelay: { baseMs: 1, maxMs: 2 },
    });
    const before = { creates: sandbox.stats.creates, polls: sandbox.stats.polls };
    const e = await client.debtRegistries.create(registry(), { digestSigner: id.digestSigner }).catch((x: unknown) => x);
    expect(SberTransportError.isInstance(e) || SberTransportError.isInstance((e as Error).cause)).toBe(true);
    expect({ creates: sandbox.stats.creates, polls: sandbox.stats.polls }).toEqual(before);
    await noCert.close();
    // The package's own connector tells a refused certificate from a lost answer: a TLS error, never sent.
    const own = createAgent({ ca: sandbox.ca, rejectUnauthorized: true });
    const client2 = createSberClient({ environment: { baseUrl: sandbox.url }, auth: s.auth, dispatcher: own });
    const e2 = await client2.debtRegistries.create(registry(), { digestSigner: id.digestSigner }).catch((x: unknown) => x);
    expect(SberTransportError.isInstance(e2) && [e2.code, e2.requestMayHaveBeenProcessed]).toEqual(['TLS', false]);
    expect({ creates: sandbox.stats.creates, polls: sandbox.stats.polls }).toEqual(before);
    await own.close();
  });

  it('a client certificate from a foreign CA is refused in the handshake: TLS error, nothing reaches the server', async () => {
    const foreign = createSberClient({
      environment: { baseUrl: sandbox.url },
      tls: sandbox.foreignClientTls,
      ca: sandbox.ca,
      auth: s.auth,
    });
    const before = { creates: sandbox.stats.creates, polls: sandbox.stats.polls };
    await expect(foreign.debtRegistries.getState(registry().externalId)).rejects.toSatisfy(
      (e) => SberTransportError.isInstance(e) && e.code === 'TLS',
    );
    const e = await foreign.debtRegistries.create(registry(), { digestSigner: id.digestSigner }).catch((x: unknown) => x);
    expect(SberTransportError.isInstance(e) && [e.code, e.requestMayHaveBeenProcessed]).toEqual(['TLS', false]);
    expect((e as Error).message).toMatch(/CERTIFICATE|certificate|TLS/);
    const keyBody = sandbox.foreignClientTls.key.split('\n')[1]!;
    expect(inspect(e, { depth: 10 }) + JSON.stringify(e) + inspect(foreign, { depth: 10, showHidden: true })).not.toContain(keyBody);
    expect({ creates: sandbox.stats.creates, polls: sandbox.stats.polls }).toEqual(before);
    await foreign.close();
  });

  it('a server whose CA is not given is refused (verification is always on)', async () => {
    const tls = { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase };
    const auth = createSberAuth({
      environment: { baseUrl: sandbox.url },
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      tls,
      store: memorySberTokenStore(),
      maxRetries: 0,
    });
    const before = sandbox.stats.tokenRequests;
    const e = await auth.exchangeCode('any', DEFAULT_CLIENT.redirectUri).catch((x: unknown) => x);
    expect(SberTransportError.isInstance(e) && e.code).toBe('TLS');
    expect(sandbox.stats.tokenRequests).toBe(before);
    await auth.close();
  });

  it('a wrong .p12 passphrase fails when the client is created', () => {
    expect(() =>
      createSberClient({ environment: { baseUrl: sandbox.url }, tls: { pfx: sandbox.clientTls.pfx, passphrase: 'wrong' }, auth: s.auth }),
    ).toThrow(expect.objectContaining({ field: 'tls.pfx' }));
  });

  it('never shows the .p12 passphrase or the client secret', async () => {
    const text =
      inspect(s.client, { depth: 10, showHidden: true }) + inspect(s.auth, { depth: 10, showHidden: true }) + JSON.stringify(s.auth);
    expect(text).not.toContain(sandbox.clientTls.passphrase);
    expect(text).not.toContain(DEFAULT_CLIENT.clientSecret);
    const e = await s.auth
      .getToken()
      .then(() =>
        createSberClient({
          environment: { baseUrl: sandbox.url },
          tls: { pfx: sandbox.clientTls.pfx, passphrase: 'wrong-passphrase' },
          auth: s.auth,
        }),
      )
      .catch((x: unknown) => x);
    expect(SberValidationError.isInstance(e)).toBe(true);
    expect(inspect(e, { depth: 10 }) + JSON.stringify(e)).not.toContain('wrong-passphrase');
  });

  it('changes the client secret', async () => {
    expect(await s.auth.changeClientSecret('a-brand-new-secret')).toEqual({ clientSecretExpirationDays: 40 });
    s.auth.invalidate();
    await expect(s.auth.getToken()).resolves.toMatch(/.+/);
  });
});

describe('transport signature (JWS)', () => {
  let sandbox: SberSandbox;
  beforeAll(async () => {
    sandbox = await startSberSandbox({ requireJws: true, certificates: [{ uuid: id.uuid, certificate: id.certificate.pem }] });
  });
  afterAll(async () => sandbox?.close());

  it('JSON is refused with JwsExpectedError; JWS goes through to IMPLEMENTED', async () => {
    const plain = await connect(sandbox);
    const e = await plain.client.debtRegistries.create(registry(), { digestSigner: id.digestSigner }).catch((x: unknown) => x);
    expect(JwsExpectedError.isInstance(e) && e.status).toBe(415);
    const jws = await connect(sandbox, { client: { transportSignature: { signer: id.transportSigner, kid: id.uuid } } });
    const r = registry();
    await jws.client.debtRegistries.create(r, { digestSigner: id.digestSigner });
    expect((await jws.client.debtRegistries.waitForFinalState(r.externalId)).bankStatus).toBe('IMPLEMENTED');
    // a JWS signed with a key that does not match the kid's certificate
    const forged = await connect(sandbox, { client: { transportSignature: { signer: gostIdentity().transportSigner, kid: id.uuid } } });
    const bad = registry();
    const e2 = await forged.client.debtRegistries.create(bad).catch((x: unknown) => x);
    expect(SignCheckError.isInstance(e2) && e2.sberCause).toBe('SIGN_CHECK_EXCEPTION');
    expect(sandbox.stats.registries.has(bad.externalId)).toBe(false);
    await Promise.all([plain.close(), jws.close(), forged.close()]);
  });
});

describe('refresh rotation against the sandbox', () => {
  let clock = Date.now();
  let sandbox: SberSandbox;
  beforeAll(async () => {
    sandbox = await startSberSandbox({ now: () => clock });
  });
  afterAll(async () => sandbox?.close());

  it('a lost refresh answer is recovered with the reserve token; the newest refresh token is the one stored', async () => {
    const s = await connect(sandbox, { now: () => clock });
    const first = (await s.store.load())!;
    sandbox.faults.dropNextRefreshResponse();
    sandbox.faults.expireAccessTokens();
    s.auth.invalidate();
    const token = await s.auth.getToken();
    const stored = (await s.store.load())!;
    expect(stored.accessToken).toBe(token);
    expect(stored.refreshToken).not.toBe(first.refreshToken);
    expect(stored.reserveRefreshToken).toBe(first.refreshToken);
    // 3 h later only a never-used refresh token still works: the stored one must be the newest.
    clock += 3 * 3_600_000;
    s.auth.invalidate();
    await expect(s.auth.getToken()).resolves.toMatch(/.+/);
    await expect(s.client.debtRegistries.getState(registry().externalId)).rejects.toMatchObject({ status: 404 });
    await s.close();
  });

  it('concurrent getToken → one refresh', async () => {
    const s = await connect(sandbox, { now: () => clock });
    sandbox.faults.expireAccessTokens();
    s.auth.invalidate();
    const before = sandbox.stats.tokenRequests;
    const tokens = await Promise.all(Array.from({ length: 16 }, () => s.auth.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
    await s.close();
  });

  it('a refused refresh with no usable reserve asks for a login', async () => {
    const s = await connect(sandbox, { now: () => clock });
    s.auth.invalidate();
    await s.auth.getToken();
    clock += 181 * 86_400_000;
    s.auth.invalidate();
    await expect(s.auth.getToken()).rejects.toSatisfy((e) => SberAuthError.isInstance(e) && e.code === 'LOGIN_REQUIRED');
    await s.close();
  });
});
