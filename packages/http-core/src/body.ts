/** A response body as undici gives it: an async iterable of chunks that can be destroyed. */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy?(error?: Error): unknown;
}

export type BodyRead = { ok: true; bytes: Buffer } | { ok: false; limit: number; declared?: number };

/**
 * Reads a whole body, at most `maxBytes`. Past the cap (or when `content-length` already says so) the stream is
 * destroyed and `{ ok: false }` returned: the caller throws its "too large" error. A body cut short never passes
 * as whole: when `signal` aborts mid-body (deadline, caller) or the stream fails, this rejects (with the
 * signal's reason, or the stream's error) and the caller classifies that as a timeout, an abort or a network
 * failure.
 */
export async function readBody(
  body: BodyStream,
  maxBytes: number,
  o: { signal?: AbortSignal; contentLength?: string | string[] } = {},
): Promise<BodyRead> {
  const declared = Number(Array.isArray(o.contentLength) ? o.contentLength[0] : o.contentLength);
  if (o.contentLength !== undefined && Number.isFinite(declared) && declared > maxBytes) {
    body.destroy?.();
    return { ok: false, limit: maxBytes, declared };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (o.signal?.aborted) {
      body.destroy?.();
      throw o.signal.reason;
    }
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy?.();
      return { ok: false, limit: maxBytes };
    }
    chunks.push(chunk);
  }
  return {
    ok: true,
    bytes: chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, size),
  };
}
