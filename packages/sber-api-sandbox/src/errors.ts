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

/** Sber's own Russian texts (seed 004), word for word: the `message` of each error answer the sandbox gives. */
export const SBER_MESSAGES = {
  /** 400 DESERIALIZATION_FAULT: "wrong request format". */
  deserialization: 'Неверный формат запроса',
  /** 400 WORKFLOW_FAULT: "a document with these details already exists" (a duplicate). */
  duplicate: 'Документ с такими реквизитами уже существует',
  /** 400 WORKFLOW_FAULT: "operations on account … are not available to the external service". */
  accountUnavailable: (account: string) => `Для внешнего сервиса недоступны операции по счету: ${account}`,
  /** 400 WORKFLOW_FAULT: the JWS header has no `kid` ("signing certificate id not given"). */
  kidMissing: 'Не указан идентификатор сертификата подписи',
  /** 400 WORKFLOW_FAULT: the JWS `kid` is not a UUID. */
  kidFormat: 'Некорректный формат параметра kid заголовка JWS',
  /** 400 VALIDATION_FAULT ("validation error"); `checks` name the fields. */
  validation: 'Ошибка валидации',
  /** 400 SIGN_CHECK_EXCEPTION: signature not verified, or certificate unknown or not active. */
  signCheck: 'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
  /** 401 UNAUTHORIZED: the access token is unknown or expired (Sber echoes it; the sandbox too). */
  unauthorized: (token: string) => `accessToken not found by value =${token}`,
  /** 403 ACTION_ACCESS_EXCEPTION: the scope or offer does not allow the resource. */
  accessDenied: 'Операция не может быть выполнена: доступ к ресурсу запрещен',
  /** 415 JWS_EXCEPTED: this client must send `application/jose` (JWS Compact Serialization). */
  jwsRequired: (clientId: string) =>
    `В соответствии с текущими настройками сервиса с clientId=${clientId} необходимо использовать запрос в формате JWS Compact Serialization`,
  /** 500 UNKNOWN_EXCEPTION ("internal server error"). */
  unknown: 'Внутренняя ошибка сервера',
  /** 503 UNAVAILABLE_RESOURCE_EXCEPTION ("service temporarily unavailable"). */
  unavailable: 'Сервис временно недоступен',
  /** 429 TOO_MANY_REQUESTS; not in the seed (inferred wording). */
  tooManyRequests: 'Превышен лимит запросов',
  /** 404 RESOURCE_NOT_FOUND ("document not found"; inferred). */
  notFound: 'Документ не найден',
  /** A digest signature that does not verify ("ЭП/АСП is not valid"): the registry's `bankComment` when it ends INVALIDEDS. */
  invalidSignature: 'ЭП/АСП не верна',
} as const;

/** One entry of the `checks` list of Sber's error body. */
export interface SberCheck {
  /** Severity. */
  level: 'ERROR' | 'WARNING';
  /** What is wrong, e.g. `orgTaxNumber: …`. */
  message: string;
  /** The fields concerned (paths in the sent JSON). */
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
