import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { FintechFault, OAuthFault, SBER_MESSAGES } from './errors.js';
import type { SberFaultTarget } from './faults.js';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface Context {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  certCn: string | undefined;
  params: string[];
}
export interface Route {
  method: string;
  pattern: RegExp;
  target: Exclude<SberFaultTarget, 'any'>;
  login?: boolean;
  handle(ctx: Context): Reply | Promise<Reply>;
}

export const BODY_LIMIT = 10 * 1024 * 1024;

/** The response was computed (the rotation applied) but must never reach the client. */
export class LostResponse extends Error {}

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function fintechBody(fault: FintechFault): Record<string, unknown> {
  const body: Record<string, unknown> = { cause: fault.sberCause, referenceId: randomUUID(), message: fault.message };
  if (fault.checks) {
    body.checks = fault.checks;
    body.fieldNames = [...new Set(fault.checks.flatMap((c) => c.fields))];
  }
  return body;
}

/** The wire answer of a thrown fault; anything unexpected is Sber's 500 UNKNOWN_EXCEPTION. */
export function errorReply(error: unknown): Reply {
  if (error instanceof OAuthFault) return { status: error.status, body: { error: error.error, error_description: error.description } };
  if (error instanceof FintechFault) return { status: error.status, body: fintechBody(error), headers: error.headers };
  return { status: 500, body: fintechBody(new FintechFault(500, 'UNKNOWN_EXCEPTION', SBER_MESSAGES.unknown)) };
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json;charset=UTF-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers).end(text);
}

/** The body, or undefined when it passed BODY_LIMIT (read to the end all the same, so the answer can be written). */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= BODY_LIMIT ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body; anything else is Sber's DESERIALIZATION_FAULT. */
export function parseObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
  return value as Record<string, unknown>;
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function peerCn(socket: TLSSocket): string | undefined {
  const cn = socket.getPeerCertificate?.()?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
