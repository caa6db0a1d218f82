import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { generalError } from './codes.js';
import type { Answer } from './token.js';

export type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

export function makeServer(
  tls: { cert: string; key: string } | undefined,
  sockets: Set<Socket>,
  maxBody: number,
  handler: Handler,
): Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody && !refused) {
        refused = true;
        res.setHeader('connection', 'close');
        // The manual's table has no 413: an oversized request is its 400 ("no puede ser entendido").
        write(res, { status: 400, body: generalError(400, 'El Request excede el tamaño que el sandbox lee') });
      }
      if (!refused) chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      handler(req, Buffer.concat(chunks), res).catch(() => {
        if (!res.headersSent) write(res, { status: 500, body: generalError(500) });
        else res.destroy();
      });
    });
    req.on('error', () => res.destroy());
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest) : createHttpServer(onRequest);
  // Raw TCP sockets (under TLS too), so that close() also ends idle keep-alive and half-open connections.
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return server;
}

export function write(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...answer.headers });
  res.end(text);
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Whether the Accept header lets the answer be JSON (absent, any, application/any or application/json, q above 0); else the manual's 406. */
export function acceptsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}
