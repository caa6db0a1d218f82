import { randomUUID } from 'node:crypto';
import { FintechFault, SBER_MESSAGES, validationFault } from '../errors.js';
import { type Context, mediaType, parseObject, type Route } from '../http.js';
import { isUuid, type SignRole } from '../model.js';
import type { Registries } from '../registries.js';
import type { Sso } from '../sso.js';
import type { SignatureLayout, Verification } from '../verification.js';

export interface RegisteredCertificate {
  certificate: string | Uint8Array;
  role: SignRole;
}

export interface StoredFile {
  clientId: string;
  type: string;
  subType: string;
  polls: number;
}

export interface FintechRouteDeps {
  sso: Sso;
  verification: Verification;
  registries: Registries;
  files: Map<string, StoredFile>;
  certificates: Map<string, RegisteredCertificate>;
  /** The bank's certificate as `/v1/crypto` lists it (`certBank`, Base64 DER). */
  certBank: string;
  stats: { creates: number; polls: number; fileUploads: number };
  requireJws: boolean;
  createStatus: 200 | 201;
  signatureLayout: SignatureLayout;
  pollsPerStatus: number;
  now(): number;
}

const PREFIX = '/fintech/api/v1';

/** The fintech resources: debt registries (create, state), files (upload, state), crypto info. */
export function fintechRoutes(d: FintechRouteDeps): Route[] {
  /** Bearer token → client, with the scope and the TLS certificate checked. */
  function authorizeResource(ctx: Context, scope: string): string {
    const header = ctx.req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const grant = token ? d.sso.checkAccess(token) : undefined;
    if (!grant) throw new FintechFault(401, 'UNAUTHORIZED', SBER_MESSAGES.unauthorized(token));
    if (!grant.scopes.has(scope) || ctx.certCn !== grant.clientId)
      throw new FintechFault(403, 'ACTION_ACCESS_EXCEPTION', SBER_MESSAGES.accessDenied);
    return grant.clientId;
  }

  /** Checks a JWS compact serialization the way Sber describes it; returns the payload. */
  async function openJws(text: string): Promise<Uint8Array> {
    let jws: ReturnType<Verification['parseJws']>;
    try {
      jws = d.verification.parseJws(text.trim());
    } catch {
      throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
    }
    const { kid, alg } = jws.header;
    if (kid === undefined || kid === null || kid === '') throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.kidMissing);
    if (!isUuid(kid)) throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.kidFormat);
    const certificate = d.certificates.get(kid.toLowerCase())?.certificate;
    const usable = alg === 'gost34.10-2012' && certificate !== undefined && d.verification.isActive(certificate, new Date(d.now()));
    const valid =
      usable && (await d.verification.verifyJws(jws.signingInput, jws.signature, certificate, d.signatureLayout).catch(() => false));
    if (!valid) throw new FintechFault(400, 'SIGN_CHECK_EXCEPTION', SBER_MESSAGES.signCheck);
    return jws.payload;
  }

  return [
    {
      method: 'POST',
      pattern: new RegExp(`^${PREFIX}/debt-registries$`),
      target: 'create',
      handle: async (ctx) => {
        d.stats.creates++;
        const clientId = authorizeResource(ctx, 'DEBT_REGISTRY');
        const type = mediaType(ctx.req);
        let payload: Uint8Array;
        if (type === 'application/jose') payload = await openJws(ctx.body.toString('latin1'));
        else if (type === 'application/json' || type === '') {
          if (d.requireJws) throw new FintechFault(415, 'JWS_EXCEPTED', SBER_MESSAGES.jwsRequired(clientId));
          payload = ctx.body;
        } else throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
        const document = d.registries.create(clientId, parseObject(payload));
        return { status: d.createStatus, body: document };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${PREFIX}/debt-registries/([^/]+)/state$`),
      target: 'state',
      handle: (ctx) => {
        d.stats.polls++;
        const clientId = authorizeResource(ctx, 'DEBT_REGISTRY');
        return { status: 200, body: d.registries.state(clientId, decodeURIComponent(ctx.params[0]!)) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${PREFIX}/files/upload$`),
      target: 'files',
      handle: (ctx) => {
        const clientId = authorizeResource(ctx, 'FILES');
        const body = parseObject(ctx.body);
        for (const field of ['type', 'subType'] as const) {
          if (typeof body[field] !== 'string' || body[field] === '') throw validationFault(field, 'is required');
        }
        if (body.digestSignatures !== undefined && body.digestSignatures !== null && !Array.isArray(body.digestSignatures)) {
          throw validationFault('digestSignatures', 'must be an array');
        }
        const fileId = randomUUID();
        d.files.set(fileId, { clientId, type: body.type as string, subType: body.subType as string, polls: 0 });
        d.stats.fileUploads++;
        return { status: 201, body: { fileId, type: body.type, subType: body.subType, status: 'CREATED', bankComment: null } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${PREFIX}/files/upload/([^/]+)/state$`),
      target: 'files',
      handle: (ctx) => {
        const clientId = authorizeResource(ctx, 'FILES');
        const fileId = decodeURIComponent(ctx.params[0]!);
        const file = d.files.get(fileId);
        if (!file || file.clientId !== clientId) throw new FintechFault(404, 'RESOURCE_NOT_FOUND', SBER_MESSAGES.notFound);
        const status = file.polls++ < d.pollsPerStatus ? 'CREATED' : 'IMPLEMENTED';
        return { status: 200, body: { bankComment: null, fileId, status, type: file.type, subType: file.subType } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${PREFIX}/crypto$`),
      target: 'crypto',
      handle: (ctx) => {
        authorizeResource(ctx, 'GET_CRYPTO_INFO');
        // One crypto profile per signer role (SINGLE, FIRST, SECOND), as the seed's "тип подписи … в настройках криптопрофиля".
        const profiles = new Map<SignRole, Record<string, unknown>[]>();
        for (const [uuid, { certificate, role }] of d.certificates) {
          let details = {};
          try {
            details = d.verification.describeCertificate(certificate);
          } catch {
            // listed by uuid only
          }
          profiles.set(role, [...(profiles.get(role) ?? []), { uuid, active: true, ...details }]);
        }
        const cryptoProfileInfos =
          profiles.size === 0
            ? [{ signType: 'SINGLE', certificateInfos: [] }]
            : [...profiles].map(([signType, certificateInfos]) => ({ signType, certificateInfos }));
        return { status: 200, body: { certBank: d.certBank, cryptoProfileInfos } };
      },
    },
  ];
}
