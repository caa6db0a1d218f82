import { SberSandboxError } from './errors.js';
import { BANK_STATUSES, type BankStatus, isUuid, type SberStoredRegistry, SIGN_ROLES, type SignRole } from './model.js';
import type { Verification } from './verification.js';

export type { SberStoredRegistry } from './model.js';

/** One uploaded file's record (the bytes are never kept). */
export interface SberStoredFile {
  /** The `fileId` the upload answered. */
  fileId: string;
  /** The client that uploaded it. */
  clientId: string;
  /** `type` as sent in the upload. */
  type: string;
  /** `subType` as sent in the upload. */
  subType: string;
  /** `…/state` polls answered so far. */
  polls: number;
}

/** What `sandbox.snapshot()` returns and `startSberSandbox({ state })` restores: plain JSON, no token or key. */
export interface SberSandboxState {
  /** Format version; 1. */
  version: 1;
  /** Every stored debt registry. */
  registries: SberStoredRegistry[];
  /** Registered GOST certificates: PEM as registered, or DER in Base64. */
  certificates: {
    /** The `certificateUuid` it is registered under. */
    uuid: string;
    /** PEM text, or DER in Base64. */
    certificate: string;
    /** Absent for 'SINGLE'. */
    signRole?: SignRole;
  }[];
  /** Every file upload record. */
  files: SberStoredFile[];
}

const STATUSES: ReadonlySet<string> = new Set<string>(BANK_STATUSES);

/** A registered certificate as it goes into a snapshot: DER bytes become Base64. */
export function certificateText(certificate: string | Uint8Array): string {
  return typeof certificate === 'string' ? certificate : Buffer.from(certificate).toString('base64');
}

function bad(field: string, rule: string): never {
  throw new SberSandboxError('BAD_OPTION', `${field} ${rule}`, field);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isCount(x: unknown, min: number): x is number {
  return Number.isSafeInteger(x) && (x as number) >= min;
}

function nonEmpty(x: unknown): x is string {
  return typeof x === 'string' && x !== '';
}

export interface RestoredState {
  registries: SberStoredRegistry[];
  certificates: { uuid: string; certificate: string | Uint8Array; signRole?: SignRole }[];
  files: SberStoredFile[];
}

/** Checks a state given by the caller (typically JSON read back from disk); copies what it keeps. */
export function readState(input: unknown, verification: Verification): RestoredState {
  if (!isObject(input)) bad('state', 'must be an object');
  if (input.version !== 1) bad('state.version', 'must be 1');
  for (const list of ['registries', 'certificates', 'files'] as const) {
    if (!Array.isArray(input[list])) bad(`state.${list}`, 'must be an array');
  }
  const seen = new Set<string>();
  const registries = (input.registries as unknown[]).map((r, i): SberStoredRegistry => {
    const at = `state.registries[${i}]`;
    if (!isObject(r)) bad(at, 'must be an object');
    if (!isUuid(r.externalId)) bad(`${at}.externalId`, 'must be a UUID');
    if (seen.has(r.externalId)) bad(`${at}.externalId`, 'must not repeat');
    seen.add(r.externalId);
    if (!nonEmpty(r.clientId)) bad(`${at}.clientId`, 'must be a non-empty string');
    if (!isObject(r.document) || r.document.externalId !== r.externalId)
      bad(`${at}.document`, 'must be an object with the same externalId');
    if (!Array.isArray(r.steps) || r.steps.length === 0) bad(`${at}.steps`, 'must be a non-empty array');
    const steps = r.steps.map((s: unknown, j) => {
      if (!isObject(s) || typeof s.status !== 'string' || !STATUSES.has(s.status)) bad(`${at}.steps[${j}].status`, 'must be a bank status');
      if (s.comment !== null && typeof s.comment !== 'string') bad(`${at}.steps[${j}].comment`, 'must be a string or null');
      return { status: s.status as BankStatus, comment: s.comment };
    });
    if (!isCount(r.polls, 0)) bad(`${at}.polls`, 'must be a non-negative integer');
    if (!isCount(r.timesStored, 1)) bad(`${at}.timesStored`, 'must be a positive integer');
    return {
      externalId: r.externalId,
      clientId: r.clientId,
      document: structuredClone(r.document),
      steps,
      polls: r.polls,
      timesStored: r.timesStored,
    };
  });

  const uuids = new Set<string>();
  const certificates = (input.certificates as unknown[]).map((c, i) => {
    const at = `state.certificates[${i}]`;
    if (!isObject(c)) bad(at, 'must be { uuid, certificate }');
    if (!isUuid(c.uuid)) bad(`${at}.uuid`, 'must be a UUID');
    if (uuids.has(c.uuid.toLowerCase())) bad(`${at}.uuid`, 'must not repeat');
    uuids.add(c.uuid.toLowerCase());
    if (!nonEmpty(c.certificate)) bad(`${at}.certificate`, 'must be PEM or Base64 DER');
    const text = c.certificate;
    const certificate = text.startsWith('-----BEGIN') ? text : new Uint8Array(Buffer.from(text, 'base64'));
    if (typeof certificate !== 'string' && certificateText(certificate) !== text) bad(`${at}.certificate`, 'must be PEM or Base64 DER');
    try {
      verification.assertCertificate(certificate);
    } catch {
      bad(`${at}.certificate`, 'must be a GOST R 34.10-2012 X.509 certificate');
    }
    if (c.signRole !== undefined && !SIGN_ROLES.includes(c.signRole as SignRole)) bad(`${at}.signRole`, 'must be SINGLE, FIRST or SECOND');
    return { uuid: c.uuid, certificate, signRole: c.signRole as SignRole | undefined };
  });

  const fileIds = new Set<string>();
  const files = (input.files as unknown[]).map((f, i): SberStoredFile => {
    const at = `state.files[${i}]`;
    if (!isObject(f)) bad(at, 'must be an object');
    if (!isUuid(f.fileId)) bad(`${at}.fileId`, 'must be a UUID');
    if (fileIds.has(f.fileId)) bad(`${at}.fileId`, 'must not repeat');
    fileIds.add(f.fileId);
    for (const field of ['clientId', 'type', 'subType'] as const) {
      if (!nonEmpty(f[field])) bad(`${at}.${field}`, 'must be a non-empty string');
    }
    if (!isCount(f.polls, 0)) bad(`${at}.polls`, 'must be a non-negative integer');
    return { fileId: f.fileId, clientId: f.clientId as string, type: f.type as string, subType: f.subType as string, polls: f.polls };
  });
  return { registries, certificates, files };
}
