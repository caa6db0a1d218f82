import { FintechFault, SBER_MESSAGES, validationFault } from './errors';
import { isUuid, type BankStatus, type DocState, type SberStoredRegistry } from './model';
import type { SignatureLayout, Verification } from './verification';

interface Step { status: BankStatus; comment: string | null }
interface StoredRegistry { clientId: string; document: Record<string, unknown>; steps: Step[]; polls: number }

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface RegistryOptions {
  pollsPerStatus: number;
  refuseRule?: (registry: Record<string, unknown>) => string | undefined;
  duplicateNumberCheck: boolean;
  digestLayout: SignatureLayout;
  digestAttachments: 'lines' | 'table';
}

/** Shape checks the sandbox does itself (types of every field); the semantic rules come from sber-digest. */
function checkShape(body: Record<string, unknown>): void {
  for (const field of ['externalId', 'date', 'orgName', 'orgTaxNumber'] as const) {
    if (typeof body[field] !== 'string') throw validationFault(field, 'is required and must be a string');
  }
  for (const field of ['number', 'bankComment', 'bankStatus'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') throw validationFault(field, 'must be a string');
  }
  if (body.recordNum !== undefined && body.recordNum !== null && typeof body.recordNum !== 'string' && typeof body.recordNum !== 'number') {
    throw validationFault('recordNum', 'must be a string of digits');
  }
  if (body.bfAttachments !== undefined && body.bfAttachments !== null) {
    if (!Array.isArray(body.bfAttachments)) throw validationFault('bfAttachments', 'must be an array');
    body.bfAttachments.forEach((a: unknown, i) => {
      if (typeof a !== 'object' || a === null || Array.isArray(a)) throw validationFault(`bfAttachments[${i}]`, 'must be an object');
      const fileId = (a as Record<string, unknown>).fileId;
      if (fileId !== undefined && fileId !== null && typeof fileId !== 'string') throw validationFault(`bfAttachments[${i}].fileId`, 'must be a string');
    });
  }
  if (body.digestSignatures !== undefined && body.digestSignatures !== null) {
    if (!Array.isArray(body.digestSignatures)) throw validationFault('digestSignatures', 'must be an array');
    body.digestSignatures.forEach((s: unknown, i) => {
      if (typeof s !== 'object' || s === null || Array.isArray(s)) throw validationFault(`digestSignatures[${i}]`, 'must be an object');
      const { base64Encoded, certificateUuid } = s as Record<string, unknown>;
      if (typeof base64Encoded !== 'string' || base64Encoded.length === 0 || !BASE64.test(base64Encoded)) {
        throw validationFault(`digestSignatures[${i}].base64Encoded`, 'must be Base64');
      }
      if (!isUuid(certificateUuid)) throw validationFault(`digestSignatures[${i}].certificateUuid`, 'must be a UUID');
    });
  }
}

/** Stored debt registries and how their state moves over polls. */
export class Registries {
  private readonly stored = new Map<string, StoredRegistry>();
  /** externalId → times stored (a refused duplicate is not stored). */
  readonly timesStored = new Map<string, number>();

  constructor(
    private readonly options: RegistryOptions,
    private readonly verification: Verification,
    private readonly certificates: Map<string, string | Uint8Array>,
    private readonly fileName: (fileId: string) => string | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * Validates and stores a registry; returns the stored document (bankStatus CREATED).
   * Refused here: bad model, duplicate, a certificateUuid that is unknown or whose certificate is not valid now. A signature that does not verify is accepted
   * and the state ends in INVALIDEDS, as the bank checks signatures after receiving the document.
   */
  create(clientId: string, body: Record<string, unknown>): Record<string, unknown> {
    checkShape(body);
    const problem = this.verification.validateRegistry(body);
    if (problem) throw validationFault(problem.field, problem.rule);
    const externalId = body.externalId as string;
    if (this.stored.has(externalId) || this.sameNumberThisYear(body)) {
      throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.duplicate);
    }
    const signatures = (body.digestSignatures ?? []) as { base64Encoded: string; certificateUuid: string }[];
    for (const s of signatures) {
      const certificate = this.certificates.get(s.certificateUuid.toLowerCase());
      if (!certificate || !this.verification.isActive(certificate, new Date(this.now()))) {
        throw new FintechFault(400, 'SIGN_CHECK_EXCEPTION', SBER_MESSAGES.signCheck);
      }
    }
    const document: Record<string, unknown> = { ...body, bankStatus: 'CREATED', bankComment: null };
    if (Array.isArray(body.bfAttachments)) {
      document.bfAttachments = (body.bfAttachments as Record<string, unknown>[]).map((a) => {
        const name = typeof a.fileId === 'string' ? this.fileName(a.fileId) : undefined;
        return name ? { ...a, fileName: name } : { ...a };
      });
    }
    this.stored.set(externalId, { clientId, document, steps: this.plan(body, signatures), polls: 0 });
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
      this.stored.set(externalId, { clientId, document: structuredClone(document), steps: steps.map((s) => ({ ...s })), polls });
      this.timesStored.set(externalId, timesStored);
    }
  }

  /** `GET …/{externalId}/state`: each call is one poll. */
  state(clientId: string, externalId: string): DocState {
    const registry = this.stored.get(externalId);
    if (!registry || registry.clientId !== clientId) throw new FintechFault(404, 'RESOURCE_NOT_FOUND', SBER_MESSAGES.notFound);
    const index = Math.min(Math.floor(registry.polls / this.options.pollsPerStatus), registry.steps.length - 1);
    registry.polls++;
    const step = registry.steps[index]!;
    // The seed's only example answers receiptStatus "FINISHED" (alongside CREATED): mirrored as is.
    return { bankStatus: step.status, bankComment: step.comment, receiptStatus: 'FINISHED' };
  }

  private plan(body: Record<string, unknown>, signatures: { base64Encoded: string; certificateUuid: string }[]): Step[] {
    const created: Step = { status: 'CREATED', comment: null };
    // Unsigned documents wait in CREATED for signing in the SBBOL interface (seed): they never move here.
    if (signatures.length === 0) return [created];
    const valid = signatures.every((s) => {
      try {
        return this.verification.verifyDigest(body, s, this.certificates.get(s.certificateUuid.toLowerCase())!, {
          layout: this.options.digestLayout,
          attachments: this.options.digestAttachments,
        });
      } catch {
        return false;
      }
    });
    if (!valid) return [created, { status: 'INVALIDEDS', comment: SBER_MESSAGES.invalidSignature }];
    const signed: Step = { status: 'SIGNED', comment: null };
    const refusal = this.options.refuseRule?.(structuredClone(body));
    if (refusal !== undefined) return [created, signed, { status: 'REFUSEDBYBANK', comment: refusal }];
    return [created, signed, { status: 'DELIVERED', comment: null }, { status: 'IMPLEMENTED', comment: null }];
  }

  /** Sber: "Проверка по номер документа в течении года" (off by default, see README). */
  private sameNumberThisYear(body: Record<string, unknown>): boolean {
    if (!this.options.duplicateNumberCheck || typeof body.number !== 'string' || body.number === '') return false;
    const year = String(body.date).slice(0, 4);
    for (const { document } of this.stored.values()) {
      if (document.number === body.number && document.orgTaxNumber === body.orgTaxNumber && String(document.date).slice(0, 4) === year) return true;
    }
    return false;
  }
}
