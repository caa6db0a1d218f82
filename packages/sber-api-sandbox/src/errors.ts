import { BrandedError } from '@internal/errors';

/**
 * A sandbox misuse (bad options, bad registration): thrown to the caller, never sent over the wire. The one error
 * class of sber-api-sandbox's API: `isInstance` and `instanceof` check a `Symbol.for('sber-api-sandbox.error')`
 * brand, so they hold across ESM/CJS copies of the package (docs/errors.md).
 */
export class SberSandboxError extends BrandedError<'BAD_OPTION' | 'BAD_CERTIFICATE' | 'UNKNOWN_CLIENT' | 'CLOSED'> {
  static override readonly family = 'sber-api-sandbox';
  static override readonly className: string = 'SberSandboxError';
  constructor(
    /** What was misused: an option, a certificate, a client id, a closed sandbox. */
    readonly code: 'BAD_OPTION' | 'BAD_CERTIFICATE' | 'UNKNOWN_CLIENT' | 'CLOSED',
    message: string,
    /** The option or argument at fault. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `cause` codes of Sber's fintech error body (the seed's table), plus RESOURCE_NOT_FOUND (inferred). */
export type SberCause =
  | 'DESERIALIZATION_FAULT'
  | 'WORKFLOW_FAULT'
  | 'VALIDATION_FAULT'
  | 'SIGN_CHECK_EXCEPTION'
  | 'UNAUTHORIZED'
  | 'ACTION_ACCESS_EXCEPTION'
  | 'JWS_EXCEPTED'
  | 'UNKNOWN_EXCEPTION'
  | 'UNAVAILABLE_RESOURCE_EXCEPTION'
  | 'TOO_MANY_REQUESTS'
  | 'RESOURCE_NOT_FOUND';

/** Sber's own Russian texts (seed 004), word for word. */
export const SBER_MESSAGES = {
  deserialization: 'Неверный формат запроса',
  duplicate: 'Документ с такими реквизитами уже существует',
  accountUnavailable: (account: string) => `Для внешнего сервиса недоступны операции по счету: ${account}`,
  kidMissing: 'Не указан идентификатор сертификата подписи',
  kidFormat: 'Некорректный формат параметра kid заголовка JWS',
  validation: 'Ошибка валидации',
  signCheck: 'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
  unauthorized: (token: string) => `accessToken not found by value =${token}`,
  accessDenied: 'Операция не может быть выполнена: доступ к ресурсу запрещен',
  jwsRequired: (clientId: string) =>
    `В соответствии с текущими настройками сервиса с clientId=${clientId} необходимо использовать запрос в формате JWS Compact Serialization`,
  unknown: 'Внутренняя ошибка сервера',
  unavailable: 'Сервис временно недоступен',
  /** Not in the seed (inferred wording). */
  tooManyRequests: 'Превышен лимит запросов',
  notFound: 'Документ не найден',
  invalidSignature: 'ЭП/АСП не верна',
} as const;

export interface SberCheck {
  level: 'ERROR' | 'WARNING';
  message: string;
  fields: string[];
}

/** A fintech error answer: thrown inside handlers, written as `{cause, referenceId, message, checks?, fieldNames?}`. */
export class FintechFault extends Error {
  constructor(
    readonly status: number,
    readonly sberCause: SberCause,
    message: string,
    readonly checks?: SberCheck[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An OAuth-style answer of the SSO endpoints: `{error, error_description}`. */
export class OAuthFault extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export function validationFault(field: string, rule: string): FintechFault {
  return new FintechFault(400, 'VALIDATION_FAULT', SBER_MESSAGES.validation, [
    { level: 'ERROR', message: `${field}: ${rule}`, fields: [field] },
  ]);
}
