// Streebog-256 throughput vs `openssl dgst -engine gost` on one 64 MiB file, and GOST-256 sign/verify vs
// @noble/curves P-256 ECDSA, all measured in this run. Usage: node bench/run.mjs
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import { bestTimeMs, opsPerSecond, report } from '../../../scripts/bench-kit.mjs';
import { generateKeyPair, sign, streebog256, verify } from '../dist/index.js';

if (process.argv.includes('--soak')) {
  console.log('no soak for gost2012');
  process.exit(0);
}

const MIB = 1024 * 1024;
const size = 64 * MIB;
const data = randomBytes(size);
const dir = mkdtempSync(join(tmpdir(), 'gost-bench-'));
const file = join(dir, 'data.bin');
writeFileSync(file, data);

const rows = [];
const notes = {};
try {
  streebog256(data.subarray(0, MIB)); // warm up the JIT
  const oursMs = await bestTimeMs(() => streebog256(data), 3);
  const probe = spawnSync('openssl', ['dgst', '-engine', 'gost', '-md_gost12_256', file]);
  if (probe.status === 0) {
    // The whole openssl process is timed (start-up and engine load included; nothing subtracted).
    const opensslMs = await bestTimeMs(() => spawnSync('openssl', ['dgst', '-engine', 'gost', '-md_gost12_256', file]), 3);
    rows.push({
      name: 'Streebog-256, 64 MiB',
      value: size / MIB / (oursMs / 1000),
      unit: 'MiB/s',
      baseline: size / MIB / (opensslMs / 1000),
      baselineName: 'openssl dgst -engine gost',
      goal: 0.3,
    });
  } else {
    rows.push({ name: 'Streebog-256, 64 MiB', value: size / MIB / (oursMs / 1000), unit: 'MiB/s' });
    notes['openssl'] = 'GOST engine missing: Streebog baseline skipped';
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const message = randomBytes(256);
const gost = generateKeyPair('cryptopro-a');
const gostSig = sign(message, gost.privateKey);
const nistKey = p256.utils.randomSecretKey();
const nistPub = p256.getPublicKey(nistKey);
const nistSig = p256.sign(message, nistKey);
if (!verify(gostSig, message, gost.publicKey) || !p256.verify(nistSig, message, nistPub)) throw new Error('bench self-check failed');

const gostSign = await opsPerSecond(() => sign(message, gost.privateKey), { minMs: 2000 });
const nistSign = await opsPerSecond(() => p256.sign(message, nistKey), { minMs: 2000 });
const gostVerify = await opsPerSecond(() => verify(gostSig, message, gost.publicKey), { minMs: 2000 });
const nistVerify = await opsPerSecond(() => p256.verify(nistSig, message, nistPub), { minMs: 2000 });
rows.push({
  name: 'GOST-256 sign (cryptopro-a, 256-byte message)',
  value: gostSign,
  unit: 'ops/s',
  baseline: nistSign,
  baselineName: '@noble/curves p256 sign',
  goal: 0.5,
});
rows.push({
  name: 'GOST-256 verify (cryptopro-a, 256-byte message)',
  value: gostVerify,
  unit: 'ops/s',
  baseline: nistVerify,
  baselineName: '@noble/curves p256 verify',
  goal: 0.5,
});

const big = generateKeyPair('tc26-512-a');
const bigSig = sign(message, big.privateKey);
notes['GOST-512 sign (tc26-512-a) ops/s'] = await opsPerSecond(() => sign(message, big.privateKey), { minMs: 1000 });
notes['GOST-512 verify (tc26-512-a) ops/s'] = await opsPerSecond(() => verify(bigSig, message, big.publicKey), { minMs: 1000 });
report('gost2012', rows, notes);
