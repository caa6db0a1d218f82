import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, classifyNetworkError, createDeadline, parseRetryAfter, Redactor, readBody, sleep } from '../src/index.js';

afterEach(() => vi.restoreAllMocks());

describe('backoffMs', () => {
  it('spreads ±25 % around 0.5 s × 2ⁿ and never passes the 8 s cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n))).toEqual([375, 750, 1500, 3000, 6000, 6000]);
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([625, 1250, 2500, 5000, 8000]);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(backoffMs(2, { baseMs: 100, maxMs: 1000 })).toBe(400);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds with decimals and HTTP-dates, caps at 60 s, ignores junk', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('3600', now)).toBe(60_000);
    for (const junk of [undefined, '', ' ', '-1', 'soon', '1e3']) expect(parseRetryAfter(junk, now)).toBeUndefined();
  });
});

describe('sleep and createDeadline', () => {
  it('a deadline aborts its signal and says why; the caller wins over the clock', async () => {
    const d = createDeadline(20);
    await expect(sleep(10_000, d.signal)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(d.stopped()).toBe('timeout');
    d.dispose();
    const caller = new AbortController();
    const d2 = createDeadline(60_000, caller.signal);
    expect(d2.stopped()).toBeUndefined();
    caller.abort(new Error('stop'));
    expect(d2.signal.aborted).toBe(true);
    expect(d2.stopped()).toBe('aborted');
    expect((d2.callerReason as Error).message).toBe('stop');
    d2.dispose();
  });
});

describe('readBody', () => {
  it('reads whole bodies and refuses past the cap or a declared length over it', async () => {
    const r = await readBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4);
    expect(r.ok && r.bytes.toString()).toBe('abcd');
    expect(await readBody(Readable.from([Buffer.from('abc'), Buffer.from('de')]), 4)).toEqual({ ok: false, limit: 4 });
    expect(await readBody(Readable.from([]), 4, { contentLength: '2000000000' })).toEqual({ ok: false, limit: 4, declared: 2_000_000_000 });
  });

  it('a stream that still yields after the signal fired (no destroy on abort) is refused, not cut short into a "whole" body', async () => {
    const ac = new AbortController();
    async function* chunks() {
      yield Buffer.from('{"access_token":"');
      ac.abort(new DOMException('deadline', 'TimeoutError'));
      yield Buffer.from('eyJ');
    }
    await expect(readBody(Readable.from(chunks()), 1024, { signal: ac.signal })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('never returns half a body when the deadline passes mid-body (server sends half, then stalls)', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.write('{"access_token":"half');
      // ...and never the rest
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const caller = new AbortController();
      const res = await request(`http://127.0.0.1:${port}/`, { signal: caller.signal });
      // the headers are in: the first chunk is on its way; stop the call while the body is incomplete
      const reading = readBody(res.body, 1024, { signal: caller.signal });
      setTimeout(() => caller.abort(new DOMException('deadline', 'TimeoutError')), 50);
      await expect(reading).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('classifyNetworkError', () => {
  const wrap = (code: string) =>
    Object.assign(new Error('fetch failed'), { code: 'UND_ERR_SOCKET', cause: Object.assign(new Error('x'), { code }) });
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_certificate', true, false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_certificate', true, false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_certificate', true, false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', true, false],
    ['ECONNREFUSED', 'refused', true, true],
    ['ENOTFOUND', 'dns', true, true],
    ['ECONNRESET', 'reset', false, true],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', false, true],
    ['ERR_INVALID_URL', 'invalid', true, false],
  ])('%s → %s', (code, kind, notSent, retryable) => {
    expect(classifyNetworkError(wrap(code))).toEqual({ kind, code, notSent, retryable });
  });
  it('a bare socket failure is a reset; nothing at all is other', () => {
    expect(classifyNetworkError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })).kind).toBe('reset');
    expect(classifyNetworkError(new Error('?'))).toMatchObject({ kind: 'other', code: 'UNKNOWN' });
  });
});

describe('Redactor', () => {
  it('keeps creation secrets for life: after more than 4,096 tokens the client secret is still redacted (issue 18.1)', () => {
    const r = new Redactor({ secrets: ['client-secret-Zx81'] });
    for (let i = 0; i < 5000; i++) r.addToken(`token-${i}-abcdef`);
    expect(r.redact('bad secret client-secret-Zx81')).toBe('bad secret [REDACTED]');
    expect(r.redact('token-4999-abcdef')).toBe('[REDACTED]');
    expect(r.redact('token-0-abcdef')).toBe('token-0-abcdef'); // the oldest token is the one forgotten
  });

  it('masks the encoded forms, patterns, a parent redactor, and every string of an error chain in place', () => {
    const parent = new Redactor({ secrets: ['parent-secret'] });
    const r = new Redactor({ secrets: ['p@ss w0rd"x'], patterns: [/(Bearer\s+)\S+/g], parent });
    expect(r.redact(`a=${encodeURIComponent('p@ss w0rd"x')} b=p%40ss+w0rd%22x c="p@ss w0rd\\"x" Bearer abc parent-secret`)).toBe(
      'a=[REDACTED] b=[REDACTED] c="[REDACTED]" Bearer [REDACTED] [REDACTED]',
    );
    const inner = new Error('inner parent-secret');
    const e = Object.assign(new Error('outer p@ss w0rd"x', { cause: inner }), { body: 'x parent-secret', list: [{ m: 'parent-secret' }] });
    r.redactError(e);
    const all = [e.message, e.stack, e.body, JSON.stringify(e.list), inner.message, inner.stack].join('\n');
    expect(all).not.toContain('parent-secret');
    expect(all).not.toContain('w0rd');
  });

  it('accepts any string as a secret (a lone surrogate cannot be URL-encoded)', () => {
    expect(new Redactor({ secrets: ['ab\ud800cdef'] }).redact('x ab\ud800cdef')).toBe('x [REDACTED]');
  });

  it('two redactors never share secrets (two clients, or an ESM and a CJS copy)', () => {
    const a = new Redactor({ secrets: ['secret-of-a'] });
    const b = new Redactor();
    expect(b.redact('secret-of-a')).toBe('secret-of-a');
    expect(a.redact('secret-of-a')).toBe('[REDACTED]');
  });
});
