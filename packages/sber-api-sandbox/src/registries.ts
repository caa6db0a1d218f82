import { FintechFault, SBER_MESSAGES, SberSandboxError, validationFault } from './errors.js';
import { BANK_STATUSES, type BankStatus, type DocState, isUuid, type SberStoredRegistry, type SignRole } from './model.js';
import type { DigestOptions, Verification } from './verification.js';

interface Step {
  status: BankStatus;
  comment: string | null;
}
interface StoredRegistry {
  clientId: string;
  document: Record<string, unknown>;
  steps: Step[];
  polls: number;
  hiddenPolls: number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The statuses a validly signed registry moves through after SIGNED, and the bank's comment on the last one. */
export interface StatusPath {
  path: BankStatus[];
  comment?: string;
}

export interface RegistryOptions {
  pollsPerStatus: number;
  refuseRule?: (registry: Record<string, unknown>) => string | undefined;
  statusPath?: (registry: Record<string, unknown>) => StatusPath | undefined;
  duplicateRule: 'number' | 'external-id' | 'both';
  /** Every create is refused: WORKFLOW_FAULT "операции по счету недоступны" naming this account. */
  accountUnavailable?: string;
  /** State queries answered "unknown" after a registry is stored (a bank that shows it later). */
  stateVisibleAfter: number;
  unknownRegistry: 'RESOURCE_NOT_FOUND' | 'VALIDATION_FAULT';
  digest: DigestOptions;
}

/** The seed's models, field by field: anything else is refused, as a strict bank does. */
const REGISTRY_FIELDS = new Set([
  'bankComment',
  'bankStatus',
  'bfAttachments',
  'date',
  'digestSignatures',
  'externalId',
  'number',
  'orgName',
  'orgTaxNumber',
  'recordNum',
]);
const ATTACHMENT_FIELDS = new Set(['fileId', 'fileName']);
const SIGNATURE_FIELDS = new Set(['base64Encoded', 'certificateUuid']);
const NOT_IN_MODEL = 'is not a field of the model';

function onlyFields(value: Record<string, unknown>, allowed: ReadonlySet<string>, at: string): void {
  for (const key of Object.keys(value)) if (!allowed.has(key)) throw validationFault(`${at}${key}`, NOT_IN_MODEL);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const optionalString = (x: unknown): boolean => x === undefined || x === null || typeof x === 'string';

/** Shape checks the sandbox does itself (names and types of every field); the semantic rules come from sber-digest. */
function checkShape(body: Record<string, unknown>): void {
  onlyFields(body, REGISTRY_FIELDS, '');
  for (const field of ['externalId', 'date', 'orgName', 'orgTaxNumber'] as const) {
    if (typeof body[field] !== 'string') throw validationFault(field, 'is required and must be a string');
  }
  for (const field of ['number', 'bankComment', 'bankStatus'] as const) {
    if (!optionalString(body[field])) throw validationFault(field, 'must be a string');
  }
  // The model types recordNum as a string: a JSON number is refused, not converted.
  if (!optionalString(body.recordNum)) throw validationFault('recordNum', 'must be a string of digits');
  if (body.bfAttachments !== undefined && body.bfAttachments !== null) {
    if (!Array.isArray(body.bfAttachments)) throw validationFault('bfAttachments', 'must be an array');
    body.bfAttachments.forEach((a: unknown, i) => {
      if (!isObject(a)) throw validationFault(`bfAttachments[${i}]`, 'must be an object');
      onlyFields(a, ATTACHMENT_FIELDS, `bfAttachments[${i}].`);
      for (const field of ['fileId', 'fileName'] as const)
        if (!optionalString(a[field])) throw validationFault(`bfAttachments[${i}].${field}`, 'must be a string');
    });
  }
  if (body.digestSignatures !== undefined && body.digestSignatures !== null) {
    if (!Array.isArray(body.digestSignatures)) throw validationFault('digestSignatures', 'must be an array');
    body.digestSignatures.forEach((s: unknown, i) => {
      if (!isObject(s)) throw validationFault(`digestSignatures[${i}]`, 'must be an object');
      onlyFields(s, SIGNATURE_FIELDS, `digestSignatures[${i}].`);
      const { base64Encoded, certificateUuid } = s;
      if (typeof base64Encoded !== 'string' || base64Encoded.length === 0 || !BASE64.test(base64Encoded)) {
        throw validationFault(`digestSignatures[${i}].base64Encoded`, 'must be Base64');
      }
      if (!isUuid(certificateUuid)) throw validationFault(`digestSignatures[${i}].certificateUuid`, 'must be a UUID');
    });
  }
}

type Signature = { base64Encoded: string; certificateUuid: string };

/** Stored debt registries and how their state moves over polls. */
export class Registries {
  private readonly stored = new Map<string, StoredRegistry>();
  /** externalId → times stored (a refused duplicate is not stored). */
  readonly timesStored = new Map<string, number>();

  constructor(
    private readonly options: RegistryOptions,
    private readonly verification: Verification,
    private readonly certificates: Map<string, { certificate: string | Uint8Array; role: SignRole }>,
    private readonly fileName: (fileId: string) => string | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * Validates and stores a registry; returns the stored document (bankStatus CREATED).
   * Refused here: bad model, duplicate, unavailable account, a certificateUuid that is unknown or whose certificate is
   * not valid now, a sole signature combined with a first/second one. A signature that does not verify is accepted
   * and the state ends in INVALIDEDS, as the bank checks signatures after receiving the document.
   */
  create(clientId: string, body: Record<string, unknown>): Record<string, unknown> {
    checkShape(body);
    const problem = this.verification.validateRegistry(body);
    if (problem) throw validationFault(problem.field, problem.rule);
    if (this.options.accountUnavailable !== undefined)
      throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.accountUnavailable(this.options.accountUnavailable));
    const externalId = body.externalId as string;
    const rule = this.options.duplicateRule;
    const sameId = this.stored.has(externalId);
    if ((rule !== 'number' && sameId) || (rule !== 'external-id' && this.sameNumberThisYear(body))) {
      throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.duplicate);
    }
    const signatures = (body.digestSignatures ?? []) as Signature[];
    for (const s of signatures) {
      const registered = this.certificates.get(s.certificateUuid.toLowerCase());
      if (!registered || !this.verification.isActive(registered.certificate, new Date(this.now()))) {
        throw new FintechFault(400, 'SIGN_CHECK_EXCEPTION', SBER_MESSAGES.signCheck);
      }
    }
    const roles = signatures.map((s) => this.certificates.get(s.certificateUuid.toLowerCase())!.role);
    // The seed: a sole signer "не может «сочетаться»" with a first or second signer (the answer is inferred).
    if (roles.includes('SINGLE') && roles.some((r) => r !== 'SINGLE'))
      throw validationFault('digestSignatures', 'a sole signature cannot be combined with a first or second signature');
    const document: Record<string, unknown> = { ...body, bankStatus: 'CREATED', bankComment: null };
    if (Array.isArray(body.bfAttachments)) {
      document.bfAttachments = (body.bfAttachments as Record<string, unknown>[]).map((a) => {
        const name = typeof a.fileId === 'string' ? this.fileName(a.fileId) : undefined;
        return name ? { ...a, fileName: name } : { ...a };
      });
    }
    // Under the number rule alone a repeated externalId is not refused: it is counted as stored again (a second
    // document at the bank), and the state keeps answering for the first.
    if (!sameId)
      this.stored.set(externalId, {
        clientId,
        document,
        steps: this.plan(body, signatures, roles),
        polls: 0,
        hiddenPolls: this.options.stateVisibleAfter,
      });
    this.timesStored.set(externalId, (this.timesStored.get(externalId) ?? 0) + 1);
    return document;
  }

  /** Copies of every stored registry, for a snapshot. */
  list(): SberStoredRegistry[] {
    return [...this.stored].map(([externalId, r]) => ({
      externalId,
      clientId: r.clientId,
      document: structuredClone(r.document),
      steps: r.steps.map((s) => ({ ...s })),
      polls: r.polls,
      timesStored: this.timesStored.get(externalId) ?? 1,
    }));
  }

  /** Puts back registries from a checked snapshot: their state sequence continues from the same poll. */
  restore(list: SberStoredRegistry[]): void {
    for (const { externalId, clientId, document, steps, polls, timesStored } of list) {
      this.stored.set(externalId, {
        clientId,
        document: structuredClone(document),
        steps: steps.map((s) => ({ ...s })),
        polls,
        hiddenPolls: 0,
      });
      this.timesStored.set(externalId, timesStored);
    }
  }

  /** A user deletes the registry in SBBOL: allowed while it is not signed yet (CREATED, PARTSIGNED); the next poll answers DELETED. */
  delete(externalId: string): void {
    const r = this.stored.get(externalId);
    if (!r) throw new SberSandboxError('BAD_OPTION', 'no registry has this externalId', 'externalId');
    const current = this.current(r, -1).status;
    if (current !== 'CREATED' && current !== 'PARTSIGNED')
      throw new SberSandboxError('BAD_OPTION', `a registry in ${current} cannot be deleted`, 'externalId');
    r.steps = [{ status: 'DELETED', comment: null }];
    r.polls = 0;
  }

  /** `GET …/{externalId}/state`: each call is one poll. */
  state(clientId: string, externalId: string): DocState {
    const registry = this.stored.get(externalId);
    if (!registry || registry.clientId !== clientId || registry.hiddenPolls > 0) {
      if (registry && registry.clientId === clientId) registry.hiddenPolls--;
      if (this.options.unknownRegistry === 'VALIDATION_FAULT') throw validationFault('externalId', SBER_MESSAGES.notFound);
      throw new FintechFault(404, 'RESOURCE_NOT_FOUND', SBER_MESSAGES.notFound);
    }
    const step = this.current(registry);
    registry.polls++;
    // The seed's only example answers receiptStatus "FINISHED" (alongside CREATED): mirrored as is.
    return { bankStatus: step.status, bankComment: step.comment, receiptStatus: 'FINISHED' };
  }

  /** The step the next poll answers; `-1`: the one the last poll answered (CREATED before any). */
  private current(r: StoredRegistry, offset = 0): Step {
    return r.steps[Math.min(Math.floor(Math.max(r.polls + offset, 0) / this.options.pollsPerStatus), r.steps.length - 1)]!;
  }

  private plan(body: Record<string, unknown>, signatures: Signature[], roles: SignRole[]): Step[] {
    const created: Step = { status: 'CREATED', comment: null };
    // Unsigned documents wait in CREATED for signing in the SBBOL interface (seed): they never move here.
    if (signatures.length === 0) return [created];
    const valid = signatures.every((s) => {
      try {
        return this.verification.verifyDigest(
          body,
          s,
          this.certificates.get(s.certificateUuid.toLowerCase())!.certificate,
          this.options.digest,
        );
      } catch {
        return false;
      }
    });
    if (!valid) return [created, { status: 'INVALIDEDS', comment: SBER_MESSAGES.invalidSignature }];
    // A first signature without a second (or the reverse) waits for the other signer in SBBOL.
    if (!roles.includes('SINGLE') && !(roles.includes('FIRST') && roles.includes('SECOND')))
      return [created, { status: 'PARTSIGNED', comment: null }];
    const signed: Step = { status: 'SIGNED', comment: null };
    const scenario = this.options.statusPath?.(structuredClone(body));
    if (scenario !== undefined) {
      const path = Array.isArray(scenario?.path) ? scenario.path : [];
      if (path.length === 0 || !path.every((s) => BANK_STATUSES.includes(s)))
        throw new SberSandboxError('BAD_OPTION', 'statusPath must return { path: bank statuses (at least one), comment? }', 'statusPath');
      return [
        created,
        signed,
        ...path.map((status, i) => ({ status, comment: i === path.length - 1 ? (scenario.comment ?? null) : null })),
      ];
    }
    const refusal = this.options.refuseRule?.(structuredClone(body));
    if (refusal !== undefined) return [created, signed, { status: 'REFUSEDBYBANK', comment: refusal }];
    return [created, signed, { status: 'DELIVERED', comment: null }, { status: 'IMPLEMENTED', comment: null }];
  }

  /** Sber: "Проверка по номер документа в течении года" — the same number within the same year (per INN). */
  private sameNumberThisYear(body: Record<string, unknown>): boolean {
    if (typeof body.number !== 'string' || body.number === '') return false;
    const year = String(body.date).slice(0, 4);
    for (const { document } of this.stored.values()) {
      if (document.number === body.number && document.orgTaxNumber === body.orgTaxNumber && String(document.date).slice(0, 4) === year)
        return true;
    }
    return false;
  }
}
