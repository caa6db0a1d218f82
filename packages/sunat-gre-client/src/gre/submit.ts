import type { Guide } from '@internal/sunat-kit';
import { buildDespatchAdvice } from './build.js';
import { type SigningKey, type SignXmlOptions, signXml } from './sign.js';

/** The key to sign with, and how: `{ pfx, passphrase }` or `{ privateKey, certificate }`, plus `algorithm`. */
export type SigningOptions = SigningKey & SignXmlOptions;

/** What a GreClient's `submit` takes: the signed XML and the parts of its name. */
export interface GuideSubmission {
  /** The issuer's RUC (11 digits). */
  ruc: string;
  /** `09` remitente, `31` transportista. */
  type: '09' | '31';
  /** Series, e.g. `T001`. */
  series: string;
  /** Correlative number. */
  number: number;
  /** The signed XML. */
  xml: string;
}

/** The call options every submit understands; a client may take more (e.g. `onPoll`), which are passed through. */
export interface SubmitCallOptions {
  /** Aborts the send or the wait, handed to the client. */
  signal?: AbortSignal;
  /** Deadline of the whole send + wait, handed to the client. */
  timeoutMs?: number;
}

/** Anything with GreClient's `submit` (send, then wait for the verdict). */
export interface GuideSubmitter<R, O extends SubmitCallOptions = SubmitCallOptions> {
  /** Sends the signed guide and resolves with the verdict. */
  submit(input: GuideSubmission, options?: O): Promise<R>;
}

/** The client's call options plus the key to sign with. */
export type SubmitGuideOptions<O extends SubmitCallOptions = SubmitCallOptions> = O & {
  /** The key to sign with, and how. */
  signing: SigningOptions;
};

/**
 * From a typed guide to SUNAT's verdict: validate → build → sign → client.submit (send, then wait for the
 * CDR). A guide SUNAT would refuse, or unusable key material, throws GreValidationError before anything is sent.
 */
export async function submitGuide<R, O extends SubmitCallOptions = SubmitCallOptions>(
  client: GuideSubmitter<R, O>,
  guide: Guide,
  options: SubmitGuideOptions<O>,
): Promise<R> {
  const { signing, ...call } = options;
  call.signal?.throwIfAborted();
  const xml = signXml(buildDespatchAdvice(guide), signing, {
    algorithm: signing.algorithm,
    signatureId: signing.signatureId ?? guide.signatureId,
  });
  return client.submit(
    { ruc: guide.issuer.ruc, type: guide.type, series: guide.series, number: Number(guide.number), xml },
    call as unknown as O,
  );
}
