import { randomUUID } from 'node:crypto';
import { gostSigner } from 'jws-base64url';
import { buildDebtRegistryDigest, rawGostSigner, signDebtRegistry } from 'sber-digest';
import { createSberClient, type DebtRegistry, type SberAuth, type SberClient, type SberClientOptions } from 'sber-registry-client';
import type { Dispatcher } from 'undici';
import type { Journal, JournalEntry } from './journal.js';
import type { GostIdentity } from './keys.js';
import type { Progress } from './progress.js';
import type { SberFlowResult } from './result.js';
import type { SandboxState } from './sandboxes.js';

export interface SberConnection {
  auth: SberAuth;
  client: SberClient;
  close(): Promise<void>;
}

/** A client over the mTLS dispatcher; creates go as JWS compact signed with the GOST key when one is given. */
export function connectSber(o: {
  environment: SberClientOptions['environment'];
  auth: SberAuth;
  dispatcher: Dispatcher;
  identity?: GostIdentity;
  pollDelayMs: number;
}): SberConnection {
  const client = createSberClient({
    environment: o.environment,
    auth: o.auth,
    dispatcher: o.dispatcher,
    ...(o.identity ? { transportSignature: { signer: gostSigner({ privateKey: o.identity.privateKey }), kid: o.identity.uuid } } : {}),
    pollDelay: { initialMs: o.pollDelayMs, maxMs: o.pollDelayMs * 8 },
  });
  return { auth: o.auth, client, close: async () => void (await Promise.all([client.close(), o.auth.close()])) };
}

interface FlowContext {
  journal: Journal;
  progress: Progress;
  sandboxState?: () => SandboxState;
  waitTimeoutMs: number;
}

/** The registry the demo files: today's date, a real INN (its check digits are right). */
export function demoRegistry(org: { name: string; inn: string }): DebtRegistry {
  return {
    externalId: randomUUID(),
    date: new Date().toISOString().slice(0, 10),
    recordNum: '1',
    number: '1',
    orgName: org.name,
    orgTaxNumber: org.inn,
  };
}

/** digest → GOST signature → create as JWS over mutual TLS (journaled) → wait for the final state. */
export async function runSberFlow(
  conn: SberConnection,
  registry: DebtRegistry,
  identity: GostIdentity,
  ctx: FlowContext,
): Promise<SberFlowResult> {
  const { progress, journal } = ctx;
  progress.step('Sber: building the digest and signing it (GOST R 34.10-2012)');
  const digest = buildDebtRegistryDigest(registry);
  const signature = await signDebtRegistry(registry, rawGostSigner({ privateKey: identity.privateKey, certificateUuid: identity.uuid }));
  progress.succeed(`Sber: digest of ${Buffer.byteLength(digest)} bytes signed with certificate ${identity.uuid}`);

  progress.step('Sber: creating the debt registry (JWS compact, mutual TLS)');
  const created = await conn.client.debtRegistries.create({ ...registry, digestSignatures: [signature] });
  const entry = journal.add(
    { flow: 'sber', id: created.externalId, label: 'debt registry', expected: 'IMPLEMENTED' },
    ctx.sandboxState?.(),
  );
  progress.succeed(`Sber: registry ${created.externalId} created (${created.bankStatus})`);
  return waitForRegistry(conn, entry, ctx);
}

/** Polls a journaled registry to its final state (also what `demo resume` runs). */
export async function waitForRegistry(conn: SberConnection, entry: JournalEntry, ctx: FlowContext): Promise<SberFlowResult> {
  const { progress, journal } = ctx;
  const statuses: string[] = [];
  progress.step(`Sber: waiting for the bank — ${entry.id}`);
  const final = await conn.client.debtRegistries.waitForFinalState(entry.id, {
    timeoutMs: ctx.waitTimeoutMs,
    onStatus: (s) => {
      const status = String(s.bankStatus);
      if (statuses.at(-1) !== status) statuses.push(status);
      progress.update(`Sber: waiting for the bank — ${statuses.join(' → ')}`);
    },
  });
  const bankStatus = String(final.bankStatus);
  journal.complete(entry.id, bankStatus, ctx.sandboxState?.());
  const ok = bankStatus === entry.expected;
  (ok ? progress.succeed : progress.fail)(`Sber: ${statuses.join(' → ')}`);
  return { flow: 'sber', ok, externalId: entry.id, expected: entry.expected, bankStatus, bankComment: final.bankComment ?? null, statuses };
}
