// Candidate and baseline measured in the same run, alternately, best of a few rounds each.
import { randomBytes } from 'node:crypto';
import { CompactSign, compactVerify, generateKeyPair } from 'jose';
import { opsPerSecond, report } from '../../../scripts/bench-kit.mjs';
import { base64url, joseSigner, joseVerifier, signCompact, verifyCompact } from '../dist/index.js';

if (process.argv.includes('--soak')) {
  console.log('no soak for jws-base64url');
  process.exit(0);
}

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const NATIVE = typeof Uint8Array.prototype.setFromBase64 === 'function';
console.log(
  `Node ${process.version}: decode runs on ${NATIVE ? "the runtime's setFromBase64" : "Node's Buffer decoder"} above 86 characters, plain JS below`,
);
// Goals per Node line: Node 26's Buffer decoder is faster still, so there the goals are higher.
const DECODE_GOALS = NODE_MAJOR >= 26 ? { 32: 0.8, 1024: 0.8, 4096: 0.8, big: 0.9 } : { 32: 0.8, 1024: 0.6, 4096: 0.6, big: 0.9 };

const ROUNDS = 3;
const MIN_MS = 700;

async function compare(fnCandidate, fnBaseline) {
  let candidate = 0;
  let baseline = 0;
  for (let i = 0; i < ROUNDS; i++) {
    baseline = Math.max(baseline, await opsPerSecond(fnBaseline, { minMs: MIN_MS, warmup: 5 }));
    candidate = Math.max(candidate, await opsPerSecond(fnCandidate, { minMs: MIN_MS, warmup: 5 }));
  }
  return [candidate, baseline];
}

const rows = [];
const MiB16 = 16 * 1024 * 1024;
const bytes = new Uint8Array(randomBytes(MiB16));
const text = Buffer.from(bytes).toString('base64url');
if (base64url.encode(bytes) !== text || !Buffer.from(base64url.decode(text)).equals(Buffer.from(bytes)))
  throw new Error('base64url disagrees with Buffer');

{
  const [value, baseline] = await compare(
    () => base64url.encode(bytes),
    () => Buffer.from(bytes).toString('base64url'),
  );
  rows.push({
    name: 'base64url.encode 16 MiB',
    value: (value * MiB16) / 2 ** 20,
    unit: 'MiB/s',
    baseline: (baseline * MiB16) / 2 ** 20,
    baselineName: "Buffer.from(bytes).toString('base64url')",
    goal: 0.9,
  });
}
{
  const [value, baseline] = await compare(
    () => base64url.decode(text),
    () => Buffer.from(text, 'base64url'),
  );
  rows.push({
    name: 'base64url.decode 16 MiB (strict)',
    value: (value * MiB16) / 2 ** 20,
    unit: 'MiB/s',
    baseline: (baseline * MiB16) / 2 ** 20,
    baselineName: "Buffer.from(s, 'base64url') (lenient)",
    goal: DECODE_GOALS.big,
  });
}

// JWS-sized texts: a 32-byte HMAC (43 characters, the plain-JS path), a 1 KiB and a 4 KiB payload.
for (const size of [32, 1024, 4096]) {
  const segments = Array.from({ length: 64 }, () => randomBytes(size).toString('base64url'));
  let i = 0;
  const [value, baseline] = await compare(
    () => base64url.decode(segments[i++ & 63]),
    () => Buffer.from(segments[i++ & 63], 'base64url'),
  );
  rows.push({
    name: `base64url.decode ${size} B (strict)`,
    value,
    unit: 'ops/s',
    baseline,
    baselineName: "Buffer.from(s, 'base64url') (lenient)",
    goal: DECODE_GOALS[size],
  });
  if (size > 64) {
    // The ceiling for any decoder whose result owns its memory: above 64 bytes V8 allocates an ArrayBuffer
    // outside its heap, where Buffer.from takes a slice of Node's shared pool.
    const [alone, decodeBase] = await compare(
      () => Buffer.allocUnsafeSlow(size),
      () => Buffer.from(segments[i++ & 63], 'base64url'),
    );
    rows.push({
      name: `  ceiling: allocating ${size} B alone`,
      value: alone,
      unit: 'ops/s',
      baseline: decodeBase,
      baselineName: "Buffer.from(s, 'base64url')",
    });
  }
}

const payload = new TextEncoder().encode(
  JSON.stringify({
    externalId: 'b7c1f0e2-8a9d-4c3b-9e1f-2a3b4c5d6e7f',
    date: '2026-11-23',
    orgName: 'ООО Ромашка',
    orgTaxNumber: '7707083893',
    amount: '12345.67',
  }),
);
for (const alg of ['ES256', 'EdDSA']) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const header = { alg, kid: '3f2b9c4e-7d1a-4e8b-a5c6-0123456789ab' };
  const signer = joseSigner(privateKey, alg);
  const verifier = joseVerifier(publicKey, alg);
  const [sign, signBase] = await compare(
    () => signCompact(payload, { protectedHeader: header, signer }),
    () => new CompactSign(payload).setProtectedHeader(header).sign(privateKey),
  );
  rows.push({ name: `${alg} signCompact`, value: sign, unit: 'ops/s', baseline: signBase, baselineName: 'jose CompactSign', goal: 0.95 });
  const jws = await signCompact(payload, { protectedHeader: header, signer });
  const [verify, verifyBase] = await compare(
    () => verifyCompact(jws, { verifier }),
    () => compactVerify(jws, publicKey),
  );
  rows.push({
    name: `${alg} verifyCompact`,
    value: verify,
    unit: 'ops/s',
    baseline: verifyBase,
    baselineName: 'jose compactVerify',
    goal: 0.95,
  });
}

report('jws-base64url', rows, {
  note: 'decode validates strictly (alphabet, padding, whitespace, length, trailing bits); Buffer accepts anything',
});
