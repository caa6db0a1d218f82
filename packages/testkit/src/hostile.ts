import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { constants, deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

/** The ways a hostile or broken server answers. Every client call must turn each into a typed error, in time. */
export type HostileBehaviour =
  | 'html'
  | 'truncatedJson'
  | 'okWithErrorBody'
  | 'hugeContentLength'
  | 'trickle'
  | 'redirectElsewhere'
  | 'hugeBody'
  | 'invalidUtf8'
  | 'reset'
  | 'hang';

export const HOSTILE_BEHAVIOURS: readonly HostileBehaviour[] = [
  'html',
  'truncatedJson',
  'okWithErrorBody',
  'hugeContentLength',
  'trickle',
  'redirectElsewhere',
  'hugeBody',
  'invalidUtf8',
  'reset',
  'hang',
];

export interface HostileServer {
  url: string;
  /** Sets what every following request gets; `json` overrides the body for behaviours that send JSON. */
  behave(behaviour: HostileBehaviour | ((req: IncomingMessage, res: ServerResponse) => void)): void;
  requests: number;
  /** TCP connections accepted, handshakes refused by the client included: counts attempts (and so retries) without a clock. */
  connections: number;
  /** Bytes of request bodies received, to prove that a refused call sent nothing. */
  bodyBytes: number;
  /** Bytes of response bodies handed to the socket (hugeBody: how far the client let it get). */
  sentBytes: number;
  close(): Promise<void>;
}

export interface HostileServerOptions {
  /** Serve HTTPS with this certificate; `requestCert` + `ca` make it demand a client certificate (mutual TLS). */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
}

/** A server on 127.0.0.1 (HTTP, or HTTPS with `tls`) that misbehaves on purpose. */
export async function startHostileServer(options: HostileServerOptions = {}): Promise<HostileServer> {
  let behaviour: HostileBehaviour | ((req: IncomingMessage, res: ServerResponse) => void) = 'html';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { requests: 0, connections: 0, bodyBytes: 0, sentBytes: 0 };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    state.requests++;
    req.on('data', (c: Buffer) => (state.bodyBytes += c.length));
    req.on('end', () => answer(req, res));
    req.resume();
  };
  const { tls } = options;
  const server: Server = tls
    ? createTlsServer(
        { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: tls.requestCert ?? false, rejectUnauthorized: tls.requestCert ?? false },
        handler,
      )
    : createServer(handler);
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connection', () => void state.connections++);
  // a refused handshake must not print or crash anything
  server.on('tlsClientError', () => undefined);

  function answer(req: IncomingMessage, res: ServerResponse): void {
    if (typeof behaviour === 'function') return behaviour(req, res);
    switch (behaviour) {
      case 'html':
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      case 'truncatedJson':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"numTicket":"8f0c1a8e-1f5a-4c1b-9a0e-');
        return;
      case 'okWithErrorBody':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"cod":"500","msg":"Internal Server Error","exc":null}');
        return;
      case 'hugeContentLength':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 ** 3) });
        res.write('{"a":"');
        return; // never finishes
      case 'trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const t = setInterval(() => res.write(' '), 1000);
        timers.add(t);
        res.on('close', () => clearInterval(t));
        return;
      }
      case 'redirectElsewhere':
        res.writeHead(302, { location: 'http://203.0.113.10/v1/elsewhere' }).end();
        return;
      case 'hugeBody': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 && !res.destroyed) {
            sent++;
            state.sentBytes += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      case 'invalidUtf8':
        res
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
          .end(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    behave(b) {
      behaviour = b;
    },
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    get bodyBytes() {
      return state.bodyBytes;
    },
    get sentBytes() {
      return state.sentBytes;
    },
    async close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A zip whose single entry inflates to `size` bytes of zeros (1 GiB by default) while the archive itself is
 * about a thousandth of that: what a CDR reader must refuse without inflating it. One 16 MiB block is
 * compressed with a full flush (so it stands alone) and repeated, which makes this instant.
 */
export function zipBomb(entryName = 'R-20000000001-09-T001-1.xml', size = 1024 ** 3): Uint8Array {
  const blockSize = 16 * 1024 * 1024;
  if (size % blockSize !== 0) throw new Error('zipBomb size must be a multiple of 16 MiB');
  const block = deflateRawSync(Buffer.alloc(blockSize), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const parts: Uint8Array[] = Array.from({ length: size / blockSize }, () => block);
  parts.push(Uint8Array.of(0x03, 0x00)); // an empty final block
  return storedDeflateZip(entryName, concat(parts), size);
}

/** A zip whose entry name climbs out of the extraction folder. */
export function traversalZip(): Uint8Array {
  return zipSync({ '../../etc/R-20000000001-09-T001-1.xml': strToU8('<x/>') });
}

/** XML with a DTD and nested entities (the "billion laughs"). */
export const ENTITY_BOMB_XML =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">' +
  '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]><ar:ApplicationResponse xmlns:ar="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"><cbc:Note xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">&lol5;</cbc:Note></ar:ApplicationResponse>';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A one-entry zip (method 8) around an already-deflated stream; the CRC is left 0, as a bomb would. */
function storedDeflateZip(name: string, deflated: Uint8Array, size: number): Uint8Array {
  const nameBytes = strToU8(name);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, 8, true);
  local.setUint32(18, deflated.length, true);
  local.setUint32(22, size >>> 0, true);
  local.setUint16(26, nameBytes.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, 8, true);
  central.setUint32(20, deflated.length, true);
  central.setUint32(24, size >>> 0, true);
  central.setUint16(28, nameBytes.length, true);
  const cdOffset = 30 + nameBytes.length + deflated.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + nameBytes.length, true);
  end.setUint32(16, cdOffset, true);
  return concat([new Uint8Array(local.buffer), nameBytes, deflated, new Uint8Array(central.buffer), nameBytes, new Uint8Array(end.buffer)]);
}
