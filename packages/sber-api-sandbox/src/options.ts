import type { SberFaultRule } from './faults.js';
import type { BankStatus, SignRole } from './model.js';
import type { SandboxClientConfig } from './sso.js';
import type { SberSandboxState } from './state.js';
import type { SignatureLayout } from './verification.js';

/** Options of {@link startSberSandbox}; all optional. */
export interface SberSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Port of the login host (authorize without a client certificate); default 0. */
  loginPort?: number;
  /** A default demo client ({@link DEFAULT_CLIENT}) when omitted. `clientTls` is issued for the first one. */
  clients?: SandboxClientConfig[];
  /**
   * Registered signing certificates (GOST 2012 X.509, PEM or DER), listed by `/v1/crypto`. `signRole` (default
   * 'SINGLE'): a sole signer, or the first or second of two; one of two signatures leaves a registry PARTSIGNED.
   */
  certificates?: {
    /** The `certificateUuid` that `digestSignatures` and a JWS `kid` name. */
    uuid: string;
    /** The certificate, PEM text or DER bytes. */
    certificate: string | Uint8Array;
    /** The signer's authority; default 'SINGLE'. */
    signRole?: SignRole;
  }[];
  /** 415 JWS_EXCEPTED for `application/json` creates. */
  requireJws?: boolean;
  /** Polls answered per status before the next one (CREATED→SIGNED→DELIVERED→IMPLEMENTED). Default 1. */
  pollsPerStatus?: number;
  /** A bankComment ⇒ the (validly signed) registry ends in REFUSEDBYBANK with that comment. */
  refuseRule?: (registry: Record<string, unknown>) => string | undefined;
  /** Access token lifetime (default 3600). */
  accessTokenTtlSeconds?: number;
  /** Authorization code lifetime (default 120). */
  codeTtlSeconds?: number;
  /** Refresh token lifetime (default 180 days). */
  refreshTokenTtlSeconds?: number;
  /** How long a used refresh token stays valid as a reserve (default 7200). */
  refreshReserveSeconds?: number;
  /** The sandbox clock in ms (default Date.now): tests move it to cross the token windows. */
  now?: () => number;
  /** HTTP status of a successful create: 201 (default) or 200. */
  createStatus?: 200 | 201;
  /**
   * What the bank refuses as a duplicate (WORKFLOW_FAULT "Документ с такими реквизитами уже существует"). 'number'
   * (default, the seed's rule): the same `number` within the same year (and INN); a repeated externalId alone is
   * stored again. 'external-id': a repeated externalId only. 'both'.
   */
  duplicateRule?: 'number' | 'external-id' | 'both';
  /**
   * The statuses a validly signed registry moves through after SIGNED (default DELIVERED → IMPLEMENTED), and the
   * comment of the last one: e.g. `{ path: ['DELIVERED', 'EXPORTED', 'REFUSEDBYABS'], comment: '…' }`. Returning
   * undefined keeps the default (or `refuseRule`).
   */
  statusPath?: (registry: Record<string, unknown>) =>
    | {
        /** The statuses after SIGNED, in order; the last one stays. */
        path: BankStatus[];
        /** The `bankComment` of the last status. */
        comment?: string;
      }
    | undefined;
  /** Every create is refused: WORKFLOW_FAULT "Для внешнего сервиса недоступны операции по счету: <this account>". */
  accountUnavailable?: string;
  /** State queries answered "unknown" after a store (a bank that shows a new registry late); default 0. */
  stateVisibleAfter?: number;
  /** The answer for a registry the bank does not show: 404 RESOURCE_NOT_FOUND (default, inferred) or 400 VALIDATION_FAULT. */
  unknownRegistry?: 'RESOURCE_NOT_FOUND' | 'VALIDATION_FAULT';
  /** Byte layout of GOST signatures in JWS and raw digest signatures (default 'sr-be'). */
  signatureLayout?: SignatureLayout;
  /** How `bfAttachments` file ids enter the digest (sber-digest's option; default 'lines'). */
  digestAttachments?: 'lines' | 'table';
  /** A digest field without a value: left out ('omit', default) or written `key=` ('keep'). */
  digestEmptyFields?: 'omit' | 'keep';
  /** The digest text's bytes: 'utf-8' (default) or 'windows-1251'. */
  digestEncoding?: 'utf-8' | 'windows-1251';
  /** Digest signatures accepted: 'auto' (default: raw when 2 × the key size, else CMS detached), 'raw' or 'cms' only. */
  digestSignatureFormat?: 'auto' | 'raw' | 'cms';
  /** `clientSecretExpiration` answered by change-client-secret (default 40). */
  clientSecretExpirationDays?: number;
  /** Fault rules active from the start (more with `sandbox.faults.inject`); default none. */
  faults?: SberFaultRule[];
  /** Seed of the generator behind probabilistic faults (default 1). */
  seed?: number;
  /**
   * Registries, certificates and files from an earlier `snapshot()`. Tokens, codes and the TLS material are new
   * at each start: clients take the new `ca`/`clientTls` and log in again.
   */
  state?: SberSandboxState;
}

/** Counters of a running sandbox (`sandbox.stats`), updated live. */
export interface SberSandboxStats {
  /** Requests that reached the token endpoint (any grant, any verdict; injected faults excluded). */
  tokenRequests: number;
  /** Create requests that reached the handler (any verdict; injected faults excluded). */
  creates: number;
  /** externalId → times stored. */
  registries: Map<string, number>;
  /** State requests that reached the handler (any verdict; injected faults excluded). */
  polls: number;
  /** File upload records created (`POST …/files/upload`). */
  fileUploads: number;
  /** Refresh grants answered with a new pair (a dropped answer included). */
  refreshes: number;
  /** Of those, the ones made with a refresh token used before: the reserve covering a lost answer. */
  reserveRefreshes: number;
  /** Refresh grants refused (`invalid_grant`: unknown, expired or rotated away). */
  refusedRefreshes: number;
}

/** A running sandbox: the SberBusiness fintech API and SberBusiness ID (SSO) with mutual TLS, and its login host. */
export interface SberSandbox {
  /** https://127.0.0.1:PORT — resources under /fintech/api/v1, SSO under /ic/sso/api/… (mutual TLS). */
  url: string;
  /** https://127.0.0.1:PORT2 — the browser login host: authorize only, no client certificate. */
  loginUrl: string;
  /** PEM of the sandbox CA (it signs the server and client certificates). */
  ca: string;
  /** Issued for the first client. `pfx` is a Buffer (a Uint8Array that node:tls and undici accept as is). */
  clientTls: {
    /** Client certificate, PEM (CN = the first client's `clientId`). */
    cert: string;
    /** Its private key, PEM. */
    key: string;
    /** The same pair as PKCS#12, encrypted with `passphrase`. */
    pfx: Buffer;
    /** Passphrase of `pfx`. */
    passphrase: string;
  };
  /** A client certificate for `cn` signed by the sandbox CA (for a second client, or a CN/client_id mismatch). */
  issueClientCertificate(cn: string): {
    /** Client certificate, PEM. */
    cert: string;
    /** Its private key, PEM. */
    key: string;
  };
  /** A client certificate from another CA, refused in the TLS handshake (to test that failure). */
  foreignClientTls: {
    /** Client certificate, PEM. */
    cert: string;
    /** Its private key, PEM. */
    key: string;
  };
  /**
   * What a user's login in the browser gives: a one-time authorization code for the `authorization_code` grant.
   * Throws SberSandboxError 'UNKNOWN_CLIENT' for an unknown client, a redirect URI other than the registered one, or
   * a scope outside the client's offer.
   */
  authorize(o: { clientId: string; scope: string; redirectUri: string; state?: string; nonce?: string }): Promise<string>;
  /**
   * Registers a signing certificate (GOST 2012 X.509, PEM or DER) under `uuid`, listed by `/v1/crypto` from now on.
   * Throws SberSandboxError: 'BAD_OPTION' (uuid not a UUID, unknown signRole), 'BAD_CERTIFICATE' (not such a certificate).
   */
  registerCertificate(uuid: string, certificate: string | Uint8Array, signRole?: SignRole): void;
  /** A user deletes a registry in SBBOL (allowed in CREATED or PARTSIGNED): its next state is DELETED. */
  deleteRegistry(externalId: string): void;
  /** Stored registries (with their polls), registered certificates and file records: plain JSON, no token or key. */
  snapshot(): SberSandboxState;
  /** Faults on demand, while the sandbox runs. */
  faults: {
    /** Adds a rule after the existing ones (the first rule that fires wins). */
    inject(rule: SberFaultRule): void;
    /** Drops every rule and a pending `dropNextRefreshResponse`. */
    clear(): void;
    /** Every access token issued so far is answered 401 UNAUTHORIZED from now on (refresh tokens still work). */
    expireAccessTokens(): void;
    /** The next refresh grant rotates the tokens and then loses its answer (the socket is destroyed). */
    dropNextRefreshResponse(): void;
  };
  /** Live counters; see {@link SberSandboxStats}. */
  stats: SberSandboxStats;
  /** Stops both hosts and closes their open connections. */
  close(): Promise<void>;
}

/** The demo client used when `clients` is omitted. */
export const DEFAULT_CLIENT: Readonly<Required<SandboxClientConfig>> = Object.freeze({
  clientId: '7710000001',
  clientSecret: 'sandbox-client-secret',
  redirectUri: 'https://127.0.0.1/callback',
  scopes: ['openid', 'DEBT_REGISTRY', 'FILES', 'GET_CRYPTO_INFO'],
});
