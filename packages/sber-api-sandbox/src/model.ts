/** The debt registry's model as the seed gives it: statuses, the state answer, ids. Imported by both the store and the snapshot reader. */

/** A debt registry's `bankStatus` (the seed's table). Final: DELETED, INVALIDEDS, REFUSEDBYBANK, IMPLEMENTED, REFUSEDBYABS. */
export type BankStatus =
  | 'CREATED'
  | 'DELETED'
  | 'PARTSIGNED'
  | 'SIGNED'
  | 'INVALIDEDS'
  | 'REFUSEDBYBANK'
  | 'EXPORTED'
  | 'IMPLEMENTED'
  | 'REFUSEDBYABS'
  | 'DELIVERED'
  | 'PARTIALLY_DOWNLOADED';

/** Every status of the seed's table, in its order. */
export const BANK_STATUSES: readonly BankStatus[] = [
  'CREATED',
  'DELETED',
  'PARTSIGNED',
  'SIGNED',
  'INVALIDEDS',
  'REFUSEDBYBANK',
  'EXPORTED',
  'IMPLEMENTED',
  'REFUSEDBYABS',
  'DELIVERED',
  'PARTIALLY_DOWNLOADED',
];

/** The answer of `GET …/debt-registries/{externalId}/state`. */
export interface DocState {
  /** Where the registry is in the bank. */
  bankStatus: BankStatus;
  /** The bank's comment (why it was refused, …), or null. */
  bankComment: string | null;
  /** Always 'FINISHED', as in the seed's only example. */
  receiptStatus: string;
}

/** One stored debt registry in a snapshot. */
export interface SberStoredRegistry {
  /** The registry's `externalId` (a UUID). */
  externalId: string;
  /** The client that created it: others get 404 for it. */
  clientId: string;
  /** The stored document as the create answered it. */
  document: Record<string, unknown>;
  /** The states it moves through, decided at create; the last one stays. */
  steps: {
    /** The `bankStatus` of this step. */
    status: BankStatus;
    /** Its `bankComment`, or null. */
    comment: string | null;
  }[];
  /** `…/state` polls answered so far. */
  polls: number;
  /** Times stored (`stats.registries`). */
  timesStored: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID.test(s);
}

/** A signer's authority in the crypto profile (seed: one sole signature, or a first and a second). */
export type SignRole = 'SINGLE' | 'FIRST' | 'SECOND';
export const SIGN_ROLES: readonly SignRole[] = ['SINGLE', 'FIRST', 'SECOND'];
