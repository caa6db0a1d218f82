/** A token as a {@link TokenStore} keeps it. */
export interface StoredToken {
  /** The access token. */
  token: string;
  /** Epoch milliseconds when SUNAT stops accepting the token. */
  expiresAt: number;
  /** Epoch milliseconds when the token was stored: lets every process sharing it renew a short-lived token at half its life. */
  issuedAt?: number;
}

/** Held by the one process that asks SUNAT for a token; `release` lets the next one in. */
export interface TokenLock {
  /** Releases the lock (only if this holder still owns it). */
  release(): Promise<void>;
}

/** Where tokens are kept; share one (e.g. over Redis) so several processes reuse one token. */
export interface TokenStore {
  /** The token stored under `key`, or undefined when none (or it has expired). */
  get(key: string): Promise<StoredToken | undefined>;
  /** Stores `value` under `key`, replacing any earlier token. */
  set(key: string, value: StoredToken): Promise<void>;
  /** Forgets the token under `key`. */
  delete(key: string): Promise<void>;
  /**
   * Optional, for stores that several processes share: takes `key`'s lock, or resolves to undefined when another
   * process holds it. With it, N processes make one token request: the holder asks SUNAT, the others read its token.
   */
  tryLock?(key: string): Promise<TokenLock | undefined>;
}

/** The default store: this process's memory; entries past `expiresAt` are forgotten. */
export function memoryTokenStore(): TokenStore {
  const entries = new Map<string, StoredToken>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    async set(key, value) {
      entries.set(key, { token: value.token, expiresAt: value.expiresAt });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
