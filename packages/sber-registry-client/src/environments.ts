import { SberValidationError } from './errors.js';

/** Sber's hosts (mutual TLS on port 9443). `api` serves resources and tokens; `login` is the browser login page. */
export const SBER_ENVIRONMENTS = {
  /** SberBusiness production. */
  production: {
    /** Resources and tokens. */
    api: 'https://fintech.sberbank.ru:9443',
    /** Browser login. */
    login: 'https://sbi.sberbank.ru:9443',
  },
  /** Sber's test environment (IFT). */
  test: {
    /** Resources and tokens. */
    api: 'https://iftfintech.testsbi.sberbank.ru:9443',
    /** Browser login. */
    login: 'https://efs-sbbol-ift-web.testsbi.sberbank.ru:9443',
  },
} as const;

const TEST_API_HOSTS = new Set(['iftfintech.testsbi.sberbank.ru', 'edupirfintech.sberbank.ru']);

/** An origin (scheme://host:port, no path) from a URL option; https only. */
export function originOf(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new SberValidationError(field, 'must be an https URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SberValidationError(field, 'must be an absolute https URL');
  }
  if (url.protocol !== 'https:') throw new SberValidationError(field, 'must use https (mutual TLS)');
  if (url.username || url.password || url.search || url.hash)
    throw new SberValidationError(field, 'must not carry credentials, a query or a fragment');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** 'production' | 'test' | a URL → the API base. */
export function apiBase(env: unknown, field: string): string {
  if (env === 'production' || env === 'test') return SBER_ENVIRONMENTS[env].api;
  if (typeof env === 'object' && env !== null && 'baseUrl' in env)
    return originOf((env as { baseUrl: unknown }).baseUrl, `${field}.baseUrl`);
  if (typeof env === 'string') return originOf(env, field);
  throw new SberValidationError(field, "must be 'production', 'test' or { baseUrl }");
}

/** The login host that goes with an API host: Sber's pair for its own hosts, else the API host itself (sandboxes). */
export function loginBaseFor(api: string): string {
  const host = new URL(api).hostname;
  if (host === 'fintech.sberbank.ru') return SBER_ENVIRONMENTS.production.login;
  if (TEST_API_HOSTS.has(host)) return SBER_ENVIRONMENTS.test.login;
  return api;
}
