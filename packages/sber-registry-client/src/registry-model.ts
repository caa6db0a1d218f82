// The debt registry as callers give it and the bank answers: types, final statuses, and the checks made before anything is sent.
import { type DigestSignature, type DigestSigner, validateDebtRegistry } from 'sber-digest';
import { type SberDocState, SberValidationError } from './errors.js';
import type { CallOptions } from './http.js';
import { int } from './option-checks.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Document ids as they appear in paths: Sber's own example adds a `-1` suffix to a UUID. */
const PATH_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The five documented final statuses; every other status (CREATED, SIGNED, DELIVERED, …) means "keep polling". */
export const SBER_TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'DELETED',
  'INVALIDEDS',
  'REFUSEDBYBANK',
  'IMPLEMENTED',
  'REFUSEDBYABS',
]);

/** The seed's `DebtRegistry` (read-only `bankStatus`/`bankComment`/`fileName` may be present, the bank ignores them). */
export interface DebtRegistry {
  /** The registry's id, a UUID chosen by the sender; also the id of every later state query. */
  externalId: string;
  /** The registry's date, `YYYY-MM-DD`. */
  date: string;
  /** The organisation's name. */
  orgName: string;
  /** The organisation's INN: 10 or 12 digits with correct check digits. */
  orgTaxNumber: string;
  /** The registry's number. The bank refuses a second registry with the same number in a year, which makes `create` safely retryable. */
  number?: string;
  /** The model's type is string; a whole number given here is sent as its decimal string. */
  recordNum?: string | number;
  /** Attached files, uploaded first with `files.upload`. */
  bfAttachments?: {
    /** The uploaded file's id (a UUID); the only field sent. */
    fileId?: string;
    /** Read-only in the model: not sent. */
    fileName?: string;
  }[];
  /** Digest signatures made beforehand (sber-digest); `create`'s `digestSigner` appends one more. */
  digestSignatures?: DigestSignature[];
  /** Read-only in the model: not sent. */
  bankStatus?: string;
  /** Read-only in the model: not sent. */
  bankComment?: string | null;
}

/** How `create` signs with `digestSigner`: sber-digest's options for the byte-level guesses (docs/sber-signature-bytes.md). */
export interface DigestChoices {
  /** Signs the registry's digest; the signature is appended to `digestSignatures`. None: the registry is sent as given. */
  digestSigner?: DigestSigner;
  /** How `bfAttachments` file ids enter the digest: plain `fileId=` lines ('lines', default) or a `TABLES` block ('table'). */
  digestAttachments?: 'lines' | 'table';
  /** A field without a value: left out of the digest ('omit', default) or written `key=` ('keep'). */
  digestEmptyFields?: 'omit' | 'keep';
  /** The digest text's bytes: 'utf-8' (default) or 'windows-1251'. */
  digestEncoding?: 'utf-8' | 'windows-1251';
}

/** What `debtRegistries.create` resolves to. */
export interface SberCreateResult {
  /** The registry's `externalId`. */
  externalId: string;
  /** The bank's status after the create (e.g. CREATED); undefined when recovered and the bank does not show it yet. */
  bankStatus: string | undefined;
  /** The bank's comment, when any. */
  bankComment: string | null | undefined;
  /** The bank's answer to the POST; when `recovered`, the document as sent (the bank's answer was lost). */
  document: Record<string, unknown>;
  /** True when an ambiguous failure was resolved by asking the state: the registry was stored by an earlier attempt. */
  recovered: boolean;
}

/** Waits between state polls: `initialMs × factorⁿ`, capped at `maxMs`, each with up to 25 % jitter. */
export interface SberPollDelay {
  /** Delay after the first poll (default 1000). */
  initialMs?: number;
  /** Cap (default 30000). */
  maxMs?: number;
  /** Growth per poll (default 1.5). Each delay loses up to 25 % as jitter. */
  factor?: number;
}

/** Options of `waitForFinalState`. */
export interface WaitOptions extends CallOptions {
  /** The whole wait's deadline in ms; default the client's `pollTimeoutMs` (15 min). */
  timeoutMs?: number;
  /** Called after every poll with the state and the poll number (0-based). A callback that throws never ends the wait: its error goes to `hooks.onHookError`. */
  onStatus?: (state: SberDocState, poll: number) => void;
  /** Waits between polls for this call; default the client's `pollDelay`. */
  pollDelay?: SberPollDelay;
}

export function pollTiming(v: SberPollDelay | undefined, field: string, base?: Required<SberPollDelay>): Required<SberPollDelay> {
  if (v !== undefined && (typeof v !== 'object' || v === null))
    throw new SberValidationError(field, 'must be { initialMs?, maxMs?, factor? }');
  const factor = v?.factor ?? base?.factor ?? 1.5;
  if (typeof factor !== 'number' || !(factor >= 1)) throw new SberValidationError(`${field}.factor`, 'must be a number ≥ 1');
  return {
    initialMs: int(v?.initialMs, `${field}.initialMs`, base?.initialMs ?? 1000),
    maxMs: int(v?.maxMs, `${field}.maxMs`, base?.maxMs ?? 30_000),
    factor,
  };
}

export function pathId(v: unknown, field: string): string {
  if (typeof v !== 'string' || !PATH_ID.test(v))
    throw new SberValidationError(field, 'must be a document id (UUID, letters, digits, "-", "_", ".")');
  return v;
}

const MODEL_FIELDS = new Set([
  'externalId',
  'date',
  'orgName',
  'orgTaxNumber',
  'number',
  'recordNum',
  'bfAttachments',
  'digestSignatures',
  'bankStatus',
  'bankComment',
]);

/**
 * The body exactly as the seed's model has it: `recordNum` a string, a Signature only `{base64Encoded,
 * certificateUuid}`, an attachment only `fileId`; read-only fields (bankStatus, bankComment, fileName) left out.
 */
export function modelBody(r: DebtRegistry, signatures: readonly DigestSignature[] | undefined): Record<string, unknown> {
  const doc: Record<string, unknown> = { externalId: r.externalId, date: r.date, orgName: r.orgName, orgTaxNumber: r.orgTaxNumber };
  if (r.number !== undefined) doc.number = r.number;
  if (r.recordNum !== undefined && r.recordNum !== null) doc.recordNum = String(r.recordNum);
  if (r.bfAttachments !== undefined) doc.bfAttachments = r.bfAttachments.map((a) => (a.fileId === undefined ? {} : { fileId: a.fileId }));
  if (signatures !== undefined)
    doc.digestSignatures = signatures.map(({ base64Encoded, certificateUuid }) => ({ base64Encoded, certificateUuid }));
  return doc;
}

/** Checks a registry before anything is signed or sent; names the field and the rule. */
export function validateRegistry(registry: unknown): asserts registry is DebtRegistry {
  if (typeof registry !== 'object' || registry === null || Array.isArray(registry))
    throw new SberValidationError('registry', 'must be an object');
  try {
    validateDebtRegistry(registry);
  } catch (e) {
    const x = e as { field?: unknown; rule?: unknown; message?: unknown };
    if (typeof x?.field === 'string') {
      const field = x.field.startsWith('registry') ? x.field : `registry.${x.field}`;
      throw new SberValidationError(field, typeof x.rule === 'string' ? x.rule : 'invalid', {
        cause: e,
        detail: typeof x.message === 'string' ? x.message.replace(/^[^:]*:\s*/, '').replace(/\s*\(rule [^)]*\)$/, '') : undefined,
      });
    }
    throw e;
  }
  const r = registry as unknown as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!MODEL_FIELDS.has(key)) throw new SberValidationError(`registry.${key}`, 'is not a field of the DebtRegistry model');
  if (r.number !== undefined && typeof r.number !== 'string') throw new SberValidationError('registry.number', 'must be a string');
  if (r.digestSignatures !== undefined) {
    if (!Array.isArray(r.digestSignatures)) throw new SberValidationError('registry.digestSignatures', 'must be an array');
    r.digestSignatures.forEach((s: unknown, i) => {
      const sig = s as Record<string, unknown> | null;
      if (typeof sig?.base64Encoded !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(sig.base64Encoded))
        throw new SberValidationError(`registry.digestSignatures[${i}].base64Encoded`, 'must be Base64');
      if (typeof sig.certificateUuid !== 'string' || !UUID.test(sig.certificateUuid))
        throw new SberValidationError(`registry.digestSignatures[${i}].certificateUuid`, 'must be a UUID');
    });
  }
}
