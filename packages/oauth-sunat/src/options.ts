import type { Dispatcher } from 'undici';
import { SunatAuthValidationError } from './errors.js';
import type { TokenStore } from './store.js';
import { optionalNumber, requireRuc, requireText, requireUrl } from './validate.js';

/** SUNAT's token hosts: production, and the test host of the manual's Postman example (port 444). */
export const SUNAT_TOKEN_HOSTS = Object.freeze({
  /** SUNAT's production token host. */
  production: 'https://api-seguridad.sunat.gob.pe/v1',
  /** SUNAT's test token host (port 444). */
  test: 'https://api-seguridad-test.sunat.gob.pe:444/v1',
});
/** The production token host, used when neither `environment` nor `baseUrl` is given. */
export const DEFAULT_BASE_URL = SUNAT_TOKEN_HOSTS.production;
/** The OAuth scope of the GRE API, the default `scope`; SUNAT only grants it with the password grant. */
export const GRE_SCOPE = 'https://api-cpe.sunat.gob.pe';

/** Options of {@link createSunatAuth}; each is checked first and a bad one throws {@link SunatAuthValidationError}. */
export interface SunatAuthOptions {
  /** The client_id generated in SOL ("Credenciales de API SUNAT"). */
  clientId: string;
  /** The client_secret that goes with `clientId`; never appears in an error or log. */
  clientSecret: string;
  /** Required for the password grant: the username sent is `ruc + solUser`. */
  ruc?: string;
  /** Required for the password grant: the SOL user alone (e.g. MODDATOS), without the RUC and without spaces. */
  solUser?: string;
  /** Required for the password grant: the SOL user's password; never appears in an error or log. */
  solPassword?: string;
  /** OAuth grant; default 'password'. 'client_credentials' is refused for {@link GRE_SCOPE}. */
  grant?: 'password' | 'client_credentials';
  /** OAuth scope requested; default {@link GRE_SCOPE}. */
  scope?: string;
  /** A named token host ({@link SUNAT_TOKEN_HOSTS}); default 'production'. Not together with `baseUrl`. */
  environment?: 'production' | 'test';
  /** Any other token host (a sandbox, a proxy); default the `environment`'s. */
  baseUrl?: string;
  /** Renew this long before `expires_in` ends; default 300 (half the token's life when renewBefore is not shorter than it). */
  renewBeforeSeconds?: number;
  /** undici Dispatcher for the token requests (proxy, TLS options, a mock agent); default undici's global one. */
  dispatcher?: Dispatcher;
  /** Deadline of one getToken call, retries included; default 30 000. */
  timeoutMs?: number;
  /** Retries of 429/5xx/network failures; default 3. */
  maxRetries?: number;
  /** Where the token is cached; default `memoryTokenStore()` (this process only). */
  store?: TokenStore;
}

/** The options once checked, with their defaults filled in. */
export interface CheckedOptions {
  clientId: string;
  clientSecret: string;
  grant: 'password' | 'client_credentials';
  scope: string;
  baseUrl: string;
  username?: string;
  solPassword?: string;
  renewBeforeSeconds: number;
  timeoutMs: number;
  maxRetries: number;
  dispatcher?: Dispatcher;
}

/** Everything that can be wrong with the options, named before any request. */
export function checkOptions(options: SunatAuthOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) throw new SunatAuthValidationError('options', 'must be an object');
  const grant = options.grant ?? 'password';
  if (grant !== 'password' && grant !== 'client_credentials')
    throw new SunatAuthValidationError('grant', "must be 'password' or 'client_credentials'");
  const clientId = requireText('clientId', options.clientId);
  const clientSecret = requireText('clientSecret', options.clientSecret);
  let username: string | undefined;
  if (grant === 'password') {
    const ruc = requireRuc('ruc', options.ruc);
    const solUser = requireText('solUser', options.solUser);
    if (/^\d{11}/.test(solUser) && solUser.length > 11)
      throw new SunatAuthValidationError('solUser', 'is the SOL user alone (e.g. MODDATOS); the RUC is added in front of it');
    if (/\s/.test(solUser)) throw new SunatAuthValidationError('solUser', 'must not contain spaces');
    requireText('solPassword', options.solPassword);
    username = ruc + solUser;
  } else if (options.ruc !== undefined) requireRuc('ruc', options.ruc);
  const scope = requireText('scope', options.scope ?? GRE_SCOPE);
  // SUNAT's manual: for the GRE "el parámetro grant_type tiene valor fijo" (password).
  if (grant === 'client_credentials' && scope === GRE_SCOPE)
    throw new SunatAuthValidationError(
      'grant',
      `must be 'password' for the GRE scope ${GRE_SCOPE} (SUNAT fixes grant_type there); client_credentials is for other scopes`,
    );
  const { environment } = options;
  if (environment !== undefined && environment !== 'production' && environment !== 'test')
    throw new SunatAuthValidationError('environment', "must be 'production' or 'test'");
  if (environment !== undefined && options.baseUrl !== undefined)
    throw new SunatAuthValidationError('baseUrl', 'give environment or baseUrl, not both');
  return {
    clientId,
    clientSecret,
    grant,
    scope,
    baseUrl: requireUrl('baseUrl', options.baseUrl ?? SUNAT_TOKEN_HOSTS[environment ?? 'production']),
    username,
    solPassword: options.solPassword,
    renewBeforeSeconds: optionalNumber('renewBeforeSeconds', options.renewBeforeSeconds, 0) ?? 300,
    timeoutMs: optionalNumber('timeoutMs', options.timeoutMs, 1) ?? 30_000,
    maxRetries: optionalNumber('maxRetries', options.maxRetries, 0, true) ?? 3,
    dispatcher: options.dispatcher,
  };
}
