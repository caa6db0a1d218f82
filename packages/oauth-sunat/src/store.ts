export interface StoredToken {
  token: string;
  /** Epoch milliseconds when SUNAT stops accepting the token. */
  expiresAt: number;
}

/** Where tokens are kept; share one (e.g. over Redis) so several processes reuse one token. */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, value: StoredToken): Promise<void>;
  delete(key: string): Promise<void>;
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
