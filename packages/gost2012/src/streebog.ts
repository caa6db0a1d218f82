/**
 * GOST R 34.11-2012 "Streebog" (RFC 6986), written from the standard.
 *
 * The 512-bit vectors of the standard are kept as little-endian numbers: byte k of a block is the standard's
 * byte a_k, so message bytes are consumed in order and the digest comes out in the byte order `openssl dgst`
 * prints. A vector is 16 Int32 limbs (8 words × lo/hi). The L∘P∘S step is done with 8 precomputed tables of
 * 256 64-bit entries (S and P folded in; streebog-tables.ts). The compression function normally runs in the small WebAssembly
 * module of streebog-wasm.ts (native 64-bit loads); the JavaScript path here (lo/hi Int32 tables, no BigInt, no
 * allocation per block) is the fallback where WebAssembly is unavailable, and the reference the tests compare to.
 */
import { toBytes } from './bytes.js';
import { GostError } from './errors.js';
import { ITERATION_CONSTANTS, TH, TL } from './streebog-tables.js';
import { createWasmCore, H, INPUT, INPUT_BYTES, LAST, N, SIGMA, SMALL, ZERO as ZERO_ADDR } from './streebog-wasm.js';

/**
 * out = L(P(S(a XOR b))); `out` must not alias `a` or `b`. Output word i is the XOR over m of T_m[byte i of
 * input word m]; this is that double loop unrolled (measurably faster in V8), lo halves from TL, hi from TH.
 */
function lpsx(a: Int32Array, b: Int32Array, out: Int32Array): void {
  const l0 = a[0]! ^ b[0]!,
    h0 = a[1]! ^ b[1]!;
  const l1 = a[2]! ^ b[2]!,
    h1 = a[3]! ^ b[3]!;
  const l2 = a[4]! ^ b[4]!,
    h2 = a[5]! ^ b[5]!;
  const l3 = a[6]! ^ b[6]!,
    h3 = a[7]! ^ b[7]!;
  const l4 = a[8]! ^ b[8]!,
    h4 = a[9]! ^ b[9]!;
  const l5 = a[10]! ^ b[10]!,
    h5 = a[11]! ^ b[11]!;
  const l6 = a[12]! ^ b[12]!,
    h6 = a[13]! ^ b[13]!;
  const l7 = a[14]! ^ b[14]!,
    h7 = a[15]! ^ b[15]!;
  // output word 0: byte 0 of every input word
  {
    const b0 = l0 & 255,
      b1 = 256 | (l1 & 255),
      b2 = 512 | (l2 & 255),
      b3 = 768 | (l3 & 255);
    const b4 = 1024 | (l4 & 255),
      b5 = 1280 | (l5 & 255),
      b6 = 1536 | (l6 & 255),
      b7 = 1792 | (l7 & 255);
    out[0] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[1] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 1: byte 1 of every input word
  {
    const b0 = (l0 >>> 8) & 255,
      b1 = 256 | ((l1 >>> 8) & 255),
      b2 = 512 | ((l2 >>> 8) & 255),
      b3 = 768 | ((l3 >>> 8) & 255);
    const b4 = 1024 | ((l4 >>> 8) & 255),
      b5 = 1280 | ((l5 >>> 8) & 255),
      b6 = 1536 | ((l6 >>> 8) & 255),
      b7 = 1792 | ((l7 >>> 8) & 255);
    out[2] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[3] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 2: byte 2 of every input word
  {
    const b0 = (l0 >>> 16) & 255,
      b1 = 256 | ((l1 >>> 16) & 255),
      b2 = 512 | ((l2 >>> 16) & 255),
      b3 = 768 | ((l3 >>> 16) & 255);
    const b4 = 1024 | ((l4 >>> 16) & 255),
      b5 = 1280 | ((l5 >>> 16) & 255),
      b6 = 1536 | ((l6 >>> 16) & 255),
      b7 = 1792 | ((l7 >>> 16) & 255);
    out[4] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[5] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 3: byte 3 of every input word
  {
    const b0 = l0 >>> 24,
      b1 = 256 | (l1 >>> 24),
      b2 = 512 | (l2 >>> 24),
      b3 = 768 | (l3 >>> 24);
    const b4 = 1024 | (l4 >>> 24),
      b5 = 1280 | (l5 >>> 24),
      b6 = 1536 | (l6 >>> 24),
      b7 = 1792 | (l7 >>> 24);
    out[6] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[7] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 4: byte 4 of every input word
  {
    const b0 = h0 & 255,
      b1 = 256 | (h1 & 255),
      b2 = 512 | (h2 & 255),
      b3 = 768 | (h3 & 255);
    const b4 = 1024 | (h4 & 255),
      b5 = 1280 | (h5 & 255),
      b6 = 1536 | (h6 & 255),
      b7 = 1792 | (h7 & 255);
    out[8] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[9] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 5: byte 5 of every input word
  {
    const b0 = (h0 >>> 8) & 255,
      b1 = 256 | ((h1 >>> 8) & 255),
      b2 = 512 | ((h2 >>> 8) & 255),
      b3 = 768 | ((h3 >>> 8) & 255);
    const b4 = 1024 | ((h4 >>> 8) & 255),
      b5 = 1280 | ((h5 >>> 8) & 255),
      b6 = 1536 | ((h6 >>> 8) & 255),
      b7 = 1792 | ((h7 >>> 8) & 255);
    out[10] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[11] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 6: byte 6 of every input word
  {
    const b0 = (h0 >>> 16) & 255,
      b1 = 256 | ((h1 >>> 16) & 255),
      b2 = 512 | ((h2 >>> 16) & 255),
      b3 = 768 | ((h3 >>> 16) & 255);
    const b4 = 1024 | ((h4 >>> 16) & 255),
      b5 = 1280 | ((h5 >>> 16) & 255),
      b6 = 1536 | ((h6 >>> 16) & 255),
      b7 = 1792 | ((h7 >>> 16) & 255);
    out[12] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[13] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
  // output word 7: byte 7 of every input word
  {
    const b0 = h0 >>> 24,
      b1 = 256 | (h1 >>> 24),
      b2 = 512 | (h2 >>> 24),
      b3 = 768 | (h3 >>> 24);
    const b4 = 1024 | (h4 >>> 24),
      b5 = 1280 | (h5 >>> 24),
      b6 = 1536 | (h6 >>> 24),
      b7 = 1792 | (h7 >>> 24);
    out[14] = TL[b0]! ^ TL[b1]! ^ TL[b2]! ^ TL[b3]! ^ TL[b4]! ^ TL[b5]! ^ TL[b6]! ^ TL[b7]!;
    out[15] = TH[b0]! ^ TH[b1]! ^ TH[b2]! ^ TH[b3]! ^ TH[b4]! ^ TH[b5]! ^ TH[b6]! ^ TH[b7]!;
  }
}

/** a = (a + b) mod 2^512, limb by limb with carry. */
function add512(a: Int32Array, b: Int32Array): void {
  let carry = 0;
  for (let i = 0; i < 16; i++) {
    const sum = (a[i]! >>> 0) + (b[i]! >>> 0) + carry;
    a[i] = sum | 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

/** a = (a + n) mod 2^512 for a small non-negative n (a bit count). */
function addSmall(a: Int32Array, n: number): void {
  let carry = n;
  for (let i = 0; i < 16 && carry !== 0; i++) {
    const sum = (a[i]! >>> 0) + carry;
    a[i] = sum | 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

const ZERO = new Int32Array(16);

/** The WebAssembly core when the platform allows it (the JavaScript path below is the fallback and the reference). */
const wasm = createWasmCore(TL, TH, ITERATION_CONSTANTS);
const wasm32 = wasm && new Int32Array(wasm.memory.buffer);
const wasm8 = wasm && new Uint8Array(wasm.memory.buffer);

/** Which implementation hashes: 'wasm' normally, 'js' where WebAssembly is unavailable. */
export const streebogEngine: 'wasm' | 'js' = wasm ? 'wasm' : 'js';

/** Incremental hashing; `update` may be called any number of times before `digest`. */
export interface Hasher {
  /** Appends bytes (strings as UTF-8) and returns the same hasher; throws after `digest()`. */
  update(data: Uint8Array | string): Hasher;
  /** The hash of everything appended, in OpenSSL's byte order; a hasher gives one digest only. */
  digest(): Uint8Array;
}

/** The 512-bit state of one hash computation, as 16 little-endian Int32 limbs each. */
class State {
  readonly h = new Int32Array(16);
  readonly n = new Int32Array(16);
  readonly sigma = new Int32Array(16);
  // Scratch for the JavaScript compression function (two ping-pong pairs and a block), allocated once.
  readonly m = new Int32Array(16);
  readonly k1 = new Int32Array(16);
  readonly k2 = new Int32Array(16);
  readonly s1 = new Int32Array(16);
  readonly s2 = new Int32Array(16);
}

/** h = g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m, E being 12 rounds of X, LPS with keys K_{i+1} = LPS(K_i ⊕ C_i). */
function compressJs(st: State, n: Int32Array, m: Int32Array): void {
  const { h, k1, k2, s1, s2 } = st;
  const c = ITERATION_CONSTANTS;
  lpsx(h, n, k1); // K_1
  lpsx(m, k1, s1); // state after round 1
  // Rounds 2..11 two at a time, ping-ponging between the scratch arrays (no allocation, no swaps).
  for (let i = 0; i < 10; i += 2) {
    lpsx(k1, c[i]!, k2);
    lpsx(s1, k2, s2);
    lpsx(k2, c[i + 1]!, k1);
    lpsx(s2, k1, s1);
  }
  lpsx(k1, c[10]!, k2); // K_12
  lpsx(s1, k2, s2); // state after round 12
  lpsx(k2, c[11]!, k1); // K_13
  for (let i = 0; i < 16; i++) h[i] = s2[i]! ^ k1[i]! ^ h[i]! ^ m[i]!;
}

function loadBlock(bytes: Uint8Array, at: number, m: Int32Array): void {
  for (let i = 0; i < 16; i++, at += 4) {
    m[i] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  }
}

function wasmLoad(st: State, mem: Int32Array): void {
  mem.set(st.h, H >> 2);
  mem.set(st.n, N >> 2);
  mem.set(st.sigma, SIGMA >> 2);
}

function wasmStore(st: State, mem: Int32Array): void {
  st.h.set(mem.subarray(H >> 2, (H >> 2) + 16));
  st.n.set(mem.subarray(N >> 2, (N >> 2) + 16));
  st.sigma.set(mem.subarray(SIGMA >> 2, (SIGMA >> 2) + 16));
}

/** Stage 2 of the standard for `count` whole blocks: h = g_N(h, m); N += 512; Σ += m. */
function processBlocks(st: State, bytes: Uint8Array, at: number, count: number, useWasm: boolean): void {
  if (useWasm && wasm && wasm32 && wasm8) {
    wasmLoad(st, wasm32);
    while (count > 0) {
      const take = Math.min(count, INPUT_BYTES / 64);
      wasm8.set(bytes.subarray(at, at + 64 * take), INPUT);
      wasm.blocks(INPUT, take);
      at += 64 * take;
      count -= take;
    }
    wasmStore(st, wasm32);
    return;
  }
  for (; count > 0; count--, at += 64) {
    loadBlock(bytes, at, st.m);
    compressJs(st, st.n, st.m);
    addSmall(st.n, 512);
    add512(st.sigma, st.m);
  }
}

/** Stage 3: the padded last block (`bits` message bits in it), then the length and checksum blocks. */
function finish(st: State, last: Uint8Array, bits: number, useWasm: boolean): void {
  if (useWasm && wasm && wasm32 && wasm8) {
    wasmLoad(st, wasm32);
    wasm8.set(last, LAST);
    wasm32.fill(0, SMALL >> 2, (SMALL >> 2) + 16);
    wasm32[SMALL >> 2] = bits;
    wasm.compress(N, LAST);
    wasm.add512(N, SMALL);
    wasm.add512(SIGMA, LAST);
    wasm.compress(ZERO_ADDR, N);
    wasm.compress(ZERO_ADDR, SIGMA);
    wasmStore(st, wasm32);
    // Leave no message-derived bytes behind (the zero vector and the constant 512 in between stay).
    wasm8.fill(0, H, ZERO_ADDR);
    wasm8.fill(0, LAST, SMALL + 64);
    wasm8.fill(0, INPUT, INPUT + INPUT_BYTES);
    return;
  }
  loadBlock(last, 0, st.m);
  compressJs(st, st.n, st.m);
  addSmall(st.n, bits);
  add512(st.sigma, st.m);
  compressJs(st, ZERO, st.n);
  compressJs(st, ZERO, st.sigma);
}

class Streebog implements Hasher {
  private readonly st = new State();
  private readonly buffer = new Uint8Array(64);
  private buffered = 0;
  private finished = false;

  constructor(
    private readonly outputBits: 256 | 512,
    private readonly useWasm: boolean,
  ) {
    // IV: 0^512 for Streebog-512, (00000001)^64 for Streebog-256.
    if (outputBits === 256) this.st.h.fill(0x01010101);
  }

  update(data: Uint8Array | string): this {
    if (this.finished) throw new GostError('INVALID_INPUT', 'update() called after digest(): create a new hasher', { field: 'data' });
    const bytes = toBytes(data, 'data');
    let at = 0;
    const len = bytes.length;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, len);
      this.buffer.set(bytes.subarray(0, take), this.buffered);
      this.buffered += take;
      at = take;
      if (this.buffered < 64) return this;
      processBlocks(this.st, this.buffer, 0, 1, this.useWasm);
      this.buffered = 0;
    }
    const whole = (len - at) >> 6;
    if (whole > 0) processBlocks(this.st, bytes, at, whole, this.useWasm);
    at += whole * 64;
    if (at < len) {
      this.buffer.set(bytes.subarray(at), 0);
      this.buffered = len - at;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new GostError('INVALID_INPUT', 'digest() already called: create a new hasher', { field: 'data' });
    this.finished = true;
    // Pad the remainder as 0…01‖M of the standard, i.e. in little-endian order: M, 0x01, zeros.
    const last = this.buffer;
    last[this.buffered] = 0x01;
    last.fill(0, this.buffered + 1);
    finish(this.st, last, this.buffered * 8, this.useWasm);
    last.fill(0);
    const h = this.st.h;
    const out = new Uint8Array(64);
    for (let i = 0; i < 16; i++) {
      const w = h[i]!;
      out[4 * i] = w;
      out[4 * i + 1] = w >>> 8;
      out[4 * i + 2] = w >>> 16;
      out[4 * i + 3] = w >>> 24;
    }
    h.fill(0);
    // Streebog-256 is the most significant half: bytes 32..63 in little-endian order.
    return this.outputBits === 512 ? out : out.slice(32);
  }
}

/** Internal: a hasher forced onto the JavaScript path (tests compare both engines). */
export function createStreebogJs(outputBits: 256 | 512): Hasher {
  return new Streebog(outputBits, false);
}

/** Streebog-256 of the bytes (strings as UTF-8), in the byte order `openssl dgst -md_gost12_256` prints. */
export function streebog256(data: Uint8Array | string): Uint8Array {
  return new Streebog(256, true).update(data).digest();
}

/** Streebog-512 of the bytes (strings as UTF-8), in the byte order `openssl dgst -md_gost12_512` prints. */
export function streebog512(data: Uint8Array | string): Uint8Array {
  return new Streebog(512, true).update(data).digest();
}

/** An incremental Streebog-256 hasher, for data that arrives in pieces; same output as {@link streebog256}. */
export function createStreebog256(): Hasher {
  return new Streebog(256, true);
}

/** An incremental Streebog-512 hasher, for data that arrives in pieces; same output as {@link streebog512}. */
export function createStreebog512(): Hasher {
  return new Streebog(512, true);
}
