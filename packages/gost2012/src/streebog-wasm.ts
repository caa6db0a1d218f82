/**
 * Streebog's compression function as a small WebAssembly module, assembled here at load time (no binary blob,
 * no build step). Same algorithm and tables as the JavaScript path in streebog.ts, but with native 64-bit
 * loads and XORs, which makes it several times faster. Memory layout (one 64 KiB page):
 *   0      LPS tables: 8 × 256 little-endian u64 (S and P folded into L), entry (m, x) at m·2048 + 8x
 *   16384  iteration constants C_1..C_12, 64 bytes each
 *   17152  h, N, Σ, scratch K/K'/S/S'/X, a zero vector, the constant 512, the last block
 *   32768  input area for whole blocks (32 KiB)
 */
const TABLES = 0;
const CONSTS = 16384;
export const H = 17152;
export const N = H + 64;
export const SIGMA = H + 128;
const K1 = H + 192,
  K2 = H + 256,
  S1 = H + 320,
  S2 = H + 384,
  X = H + 448;
export const ZERO = H + 512;
const C512 = H + 576;
export const LAST = H + 640;
export const SMALL = H + 704;
export const INPUT = 32768;
export const INPUT_BYTES = 32768;

/** The little of the WebAssembly JS API used here (the TypeScript lib in use has no DOM/WebAssembly types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

export interface WasmCore {
  memory: { buffer: ArrayBuffer };
  /** Processes `count` whole blocks at INPUT: h = g_N(h, m); N += 512; Σ += m. */
  blocks(ptr: number, count: number): void;
  /** h = g_n(h, m) for vectors at the given addresses. */
  compress(n: number, m: number): void;
  /** dst = (dst + src) mod 2^512. */
  add512(dst: number, src: number): void;
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Opcodes used below.
const op = {
  localGet: (i: number) => [0x20, i],
  localSet: (i: number) => [0x21, i],
  i32: (v: number) => [0x41, ...sleb(v)],
  i64: (v: number) => [0x42, ...sleb(v)],
  i32Load8u: (offset: number) => [0x2d, 0, ...uleb(offset)],
  i64Load: (offset: number) => [0x29, 3, ...uleb(offset)],
  i64Store: (offset: number) => [0x37, 3, ...uleb(offset)],
  i64Load32u: (offset: number) => [0x35, 2, ...uleb(offset)],
  i64Store32: (offset: number) => [0x3e, 2, ...uleb(offset)],
  call: (f: number) => [0x10, f],
  i32Shl: [0x74],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Eqz: [0x45],
  i64Xor: [0x85],
  i64Add: [0x7c],
  i64ShrU: [0x88],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  brIf: (d: number) => [0x0d, d],
  br: (d: number) => [0x0c, d],
  end: [0x0b],
};

const F_LPSX = 0,
  F_ADD512 = 1,
  F_COMPRESS = 2,
  F_BLOCKS = 3;

/** lpsx(a, b, out): X = a ⊕ b; out word i = ⊕_m T[m][byte i of X word m]. Fully unrolled. */
function lpsxBody(): number[] {
  const code: number[] = [];
  for (let j = 0; j < 8; j++) {
    code.push(
      ...op.i32(X),
      ...op.localGet(0),
      ...op.i64Load(8 * j),
      ...op.localGet(1),
      ...op.i64Load(8 * j),
      ...op.i64Xor,
      ...op.i64Store(8 * j),
    );
  }
  for (let i = 0; i < 8; i++) {
    code.push(...op.localGet(2));
    for (let m = 0; m < 8; m++) {
      code.push(...op.i32(0), ...op.i32Load8u(X + 8 * m + i), ...op.i32(3), ...op.i32Shl, ...op.i64Load(TABLES + 2048 * m));
      if (m > 0) code.push(...op.i64Xor);
    }
    code.push(...op.i64Store(8 * i));
  }
  return [0, ...code, ...op.end]; // no locals
}

/** add512(dst, src) with 32-bit limbs and an i64 carry. Locals: 2 = t, 3 = carry. */
function add512Body(): number[] {
  const code: number[] = [];
  for (let j = 0; j < 16; j++) {
    code.push(...op.localGet(0), ...op.i64Load32u(4 * j), ...op.localGet(1), ...op.i64Load32u(4 * j), ...op.i64Add);
    if (j > 0) code.push(...op.localGet(3), ...op.i64Add);
    code.push(...op.localSet(2), ...op.localGet(0), ...op.localGet(2), ...op.i64Store32(4 * j));
    code.push(...op.localGet(2), ...op.i64(32), ...op.i64ShrU, ...op.localSet(3));
  }
  return [...vec([[2, 0x7e]]), ...code, ...op.end];
}

/** compress(n, m): h = E(LPS(h ⊕ n), m) ⊕ h ⊕ m with the key schedule interleaved. */
function compressBody(): number[] {
  const code: number[] = [];
  const lpsx = (a: number[], b: number[], out: number) => code.push(...a, ...b, ...op.i32(out), ...op.call(F_LPSX));
  const c = (i: number) => op.i32(CONSTS + 64 * i);
  lpsx(op.i32(H), op.localGet(0), K1);
  lpsx(op.localGet(1), op.i32(K1), S1);
  for (let i = 0; i < 10; i += 2) {
    lpsx(op.i32(K1), c(i), K2);
    lpsx(op.i32(S1), op.i32(K2), S2);
    lpsx(op.i32(K2), c(i + 1), K1);
    lpsx(op.i32(S2), op.i32(K1), S1);
  }
  lpsx(op.i32(K1), c(10), K2);
  lpsx(op.i32(S1), op.i32(K2), S2);
  lpsx(op.i32(K2), c(11), K1);
  for (let j = 0; j < 8; j++) {
    code.push(...op.i32(H), ...op.i32(0), ...op.i64Load(S2 + 8 * j), ...op.i32(0), ...op.i64Load(K1 + 8 * j), ...op.i64Xor);
    code.push(
      ...op.i32(0),
      ...op.i64Load(H + 8 * j),
      ...op.i64Xor,
      ...op.localGet(1),
      ...op.i64Load(8 * j),
      ...op.i64Xor,
      ...op.i64Store(8 * j),
    );
  }
  return [0, ...code, ...op.end];
}

/** blocks(ptr, count): stage 2 of the standard for `count` consecutive blocks. */
function blocksBody(): number[] {
  const code = [
    ...op.block,
    ...op.loop,
    ...op.localGet(1),
    ...op.i32Eqz,
    ...op.brIf(1),
    ...op.i32(N),
    ...op.localGet(0),
    ...op.call(F_COMPRESS),
    ...op.i32(N),
    ...op.i32(C512),
    ...op.call(F_ADD512),
    ...op.i32(SIGMA),
    ...op.localGet(0),
    ...op.call(F_ADD512),
    ...op.localGet(0),
    ...op.i32(64),
    ...op.i32Add,
    ...op.localSet(0),
    ...op.localGet(1),
    ...op.i32(1),
    ...op.i32Sub,
    ...op.localSet(1),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return [0, ...code, ...op.end];
}

function moduleBytes(): Uint8Array {
  const types = vec([
    [0x60, ...vec([[0x7f], [0x7f], [0x7f]]), 0],
    [0x60, ...vec([[0x7f], [0x7f]]), 0],
  ]);
  const functions = vec([[0], [1], [1], [1]]);
  const memory = vec([[0x00, 1]]);
  const exports = vec([
    [...name('memory'), 0x02, 0],
    [...name('add512'), 0x00, F_ADD512],
    [...name('compress'), 0x00, F_COMPRESS],
    [...name('blocks'), 0x00, F_BLOCKS],
  ]);
  const bodies = [lpsxBody(), add512Body(), compressBody(), blocksBody()].map((b) => [...uleb(b.length), ...b]);
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, types),
    ...section(3, functions),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, vec(bodies)),
  ]);
}

/**
 * Instantiates the core with the LPS tables (lo/hi halves) and iteration constants (16 Int32 limbs each).
 * Returns undefined where WebAssembly is unavailable (e.g. node --jitless); callers fall back to JavaScript.
 */
export function createWasmCore(tl: Int32Array, th: Int32Array, constants: Int32Array[]): WasmCore | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return undefined;
  try {
    const instance = new api.Instance(new api.Module(moduleBytes()));
    const exports = instance.exports as unknown as WasmCore;
    const mem = new Int32Array(exports.memory.buffer);
    for (let i = 0; i < tl.length; i++) {
      mem[(TABLES >> 2) + 2 * i] = tl[i]!;
      mem[(TABLES >> 2) + 2 * i + 1] = th[i]!;
    }
    constants.forEach((c, i) => mem.set(c, (CONSTS >> 2) + 16 * i));
    mem[C512 >> 2] = 512;
    return exports;
  } catch {
    return undefined;
  }
}
