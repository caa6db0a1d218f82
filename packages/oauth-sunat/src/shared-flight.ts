import { SunatAuthError } from './errors.js';
import type { StoredToken, TokenStore } from './store.js';

export interface SharedFlightOptions {
  timeoutMs: number;
  /** True when a stored token may be handed out as it is. */
  usable(t: StoredToken): boolean;
  /** The caller wants a token other than the one stored now (e.g. after a 401). */
  forceRefresh?: boolean;
  /** Runs one store call, turning its failure into a typed error. */
  guard<T>(call: () => Promise<T>, what: 'read' | 'lock'): Promise<T>;
}

const FIRST_WAIT_MS = 20;
const LONGEST_WAIT_MS = 250;

/**
 * One token request across every process sharing `store`: whoever takes the store's lock asks SUNAT (`fetch`),
 * the others poll the store until its token arrives or the lock is free again (a holder that died lets its lock
 * expire). Bounded by `timeoutMs`. Without `store.tryLock` this is `fetch()`: the in-process single flight suffices.
 */
export async function sharedFlight(store: TokenStore, key: string, fetch: () => Promise<string>, o: SharedFlightOptions): Promise<string> {
  const tryLock = store.tryLock?.bind(store);
  if (!tryLock) return fetch();
  const deadline = Date.now() + o.timeoutMs;
  const stale = o.forceRefresh ? (await o.guard(() => store.get(key), 'read'))?.token : undefined;
  const wanted = (t: StoredToken | undefined): t is StoredToken => t !== undefined && t.token !== stale && o.usable(t);
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    const lock = await o.guard(() => tryLock(key), 'lock');
    if (lock) {
      try {
        // the previous holder may have stored a token between our last read and the lock
        const current = await o.guard(() => store.get(key), 'read');
        return wanted(current) ? current.token : await fetch();
      } finally {
        // a release that fails leaves the lock to its expiry: the others wait a little longer, nothing breaks
        await lock.release().catch(() => undefined);
      }
    }
    const left = deadline - Date.now();
    if (left <= 0)
      throw new SunatAuthError(`No token within ${o.timeoutMs} ms: another process holds the token lock`, {
        kind: 'timeout',
        code: 'TIMEOUT',
      });
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, left)));
    const current = await o.guard(() => store.get(key), 'read');
    if (wanted(current)) return current.token;
  }
}
