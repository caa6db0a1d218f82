import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { SberValidationError } from './errors.js';

/** What SberBusiness ID issued, as persisted. Times are epoch milliseconds. */
export interface SberTokens {
  /** The Bearer token of API calls (`access_token`). */
  accessToken: string;
  /** When it expires (from `expires_in`), epoch ms. */
  accessTokenExpiresAt: number;
  /** The refresh token (`refresh_token`); Sber rotates it on every refresh. */
  refreshToken: string;
  /** When the refresh token expires (180 days after issue), epoch ms, when known. */
  refreshTokenExpiresAt?: number;
  /** The refresh token that was used to obtain this pair: Sber keeps it valid as a reserve for 2 h. */
  reserveRefreshToken?: string;
  /** Until when the client will try the reserve (1 h after the rotation, as documented). */
  reserveUsableUntil?: number;
  /** The granted scopes, space-separated (`scope`). */
  scope?: string;
  /** The OpenID Connect `id_token`, when issued. */
  idToken?: string;
}

/** A refresh run by `SberTokenStore.rotate`: given the stored tokens, the pair to store next, or undefined to keep them. */
export type SberRotation = (stored: SberTokens | undefined) => Promise<SberTokens | undefined>;

/** Where the tokens live between runs. `save` must be durable before it resolves: the new refresh token is the only way back in. */
export interface SberTokenStore {
  /** The stored tokens, or undefined when there are none yet (a person must log in). */
  load(): Promise<SberTokens | undefined>;
  /** Stores the tokens durably, replacing the old ones; rejects when that fails (then the client throws STORE_FAILED). */
  save(tokens: SberTokens): Promise<void>;
  /**
   * Optional, for stores that several processes share: runs `rotation` under the store's lock with the tokens
   * stored at that moment, saves what it returns only if nobody saved since they were read (fencing), and
   * resolves to the tokens stored afterwards. With it, N processes make one refresh per expiry.
   */
  rotate?(rotation: SberRotation): Promise<SberTokens | undefined>;
}

/** Checks the persisted shape; throws SberValidationError naming the field. */
export function checkTokens(v: unknown, field = 'tokens'): SberTokens {
  if (typeof v !== 'object' || v === null) throw new SberValidationError(field, 'must be an object');
  const t = v as Record<string, unknown>;
  const needString = (k: string): void => {
    if (typeof t[k] !== 'string' || (t[k] as string).length === 0)
      throw new SberValidationError(`${field}.${k}`, 'must be a non-empty string');
  };
  const optNumber = (k: string): void => {
    if (t[k] !== undefined && (typeof t[k] !== 'number' || !Number.isFinite(t[k])))
      throw new SberValidationError(`${field}.${k}`, 'must be a number (epoch ms)');
  };
  needString('accessToken');
  needString('refreshToken');
  if (typeof t.accessTokenExpiresAt !== 'number' || !Number.isFinite(t.accessTokenExpiresAt))
    throw new SberValidationError(`${field}.accessTokenExpiresAt`, 'must be a number (epoch ms)');
  optNumber('refreshTokenExpiresAt');
  optNumber('reserveUsableUntil');
  for (const k of ['reserveRefreshToken', 'scope', 'idToken']) {
    if (t[k] !== undefined && typeof t[k] !== 'string') throw new SberValidationError(`${field}.${k}`, 'must be a string');
  }
  const tokens = t as unknown as SberTokens;
  return tokens;
}

/** Keeps the tokens in memory (tests, short-lived processes). Optionally seeded. */
export function memorySberTokenStore(initial?: SberTokens): SberTokenStore & {
  /** A copy of the tokens held now (for tests). */
  readonly current: SberTokens | undefined;
} {
  let current = initial === undefined ? undefined : { ...checkTokens(initial, 'initial') };
  return {
    get current() {
      return current === undefined ? undefined : { ...current };
    },
    async load() {
      return current === undefined ? undefined : { ...current };
    },
    async save(tokens) {
      current = { ...checkTokens(tokens) };
    },
    [Symbol.for('nodejs.util.inspect.custom')]: () => 'SberTokenStore(memory)',
  } as SberTokenStore & { readonly current: SberTokens | undefined };
}

/**
 * A JSON file, mode 0600, replaced atomically: written to a temporary file in the same folder, fsynced, then
 * renamed over the old one, so a crash leaves either the old or the new tokens, never half a file.
 * Saves within one process are serialized. A missing file loads as undefined.
 */
export function fileSberTokenStore(path: string): SberTokenStore {
  if (typeof path !== 'string' || path.length === 0) throw new SberValidationError('path', 'must be a non-empty file path');
  let queue: Promise<unknown> = Promise.resolve();
  const write = async (tokens: SberTokens): Promise<void> => {
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ version: 1, ...tokens }), 'utf8');
      await fh.chmod(0o600);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  };
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw e;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new SberValidationError('tokenFile', 'must contain JSON written by fileSberTokenStore');
      }
      const { version: _v, ...tokens } = (json ?? {}) as Record<string, unknown>;
      return checkTokens(tokens, 'tokenFile');
    },
    save(tokens) {
      const next = queue.then(() => write(checkTokens(tokens)));
      queue = next.catch(() => undefined);
      return next;
    },
    [Symbol.for('nodejs.util.inspect.custom')]: () => `SberTokenStore(file ${path})`,
  } as SberTokenStore;
}
