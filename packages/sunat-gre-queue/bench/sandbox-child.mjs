// The sandbox for the bench and the soak, in its own process (it shares neither the event loop nor the heap).
import { startSunatSandbox } from 'sunat-gre-sandbox';

const sandbox = await startSunatSandbox({
  clients: [JSON.parse(process.env.BENCH_CLIENT)],
  pendingPolls: Number(process.env.BENCH_PENDING_POLLS ?? 1),
  faults: JSON.parse(process.env.BENCH_FAULTS ?? '[]'),
  seed: Number(process.env.BENCH_SEED ?? 1),
});
process.send({ type: 'ready', authUrl: sandbox.authUrl, cpeUrl: sandbox.cpeUrl, ca: sandbox.ca });

/** Per document: how many copies were accepted, refused as 1033, or otherwise answered. */
function audit() {
  const perDoc = new Map();
  for (const d of sandbox.snapshot().documents) {
    const e = perDoc.get(d.baseName) ?? { accepted: 0, duplicate: 0, other: 0 };
    if (d.outcome.code === '0') e.accepted++;
    else if (d.outcome.code === '1033') e.duplicate++;
    else e.other++;
    perDoc.set(d.baseName, e);
  }
  const docs = [...perDoc.values()];
  return {
    documents: perDoc.size,
    acceptedOnce: docs.filter((e) => e.accepted === 1).length,
    acceptedTwice: docs.filter((e) => e.accepted > 1).length,
    other: docs.filter((e) => e.other > 0).length,
  };
}

process.on('message', async (m) => {
  if (m.type === 'stats') {
    const { tokenRequests, sends, polls, faults } = sandbox.stats;
    process.send({ type: 'stats', tokenRequests, sends, polls, faults });
  } else if (m.type === 'audit') process.send({ type: 'audit', ...audit() });
  else if (m.type === 'close') {
    await sandbox.close();
    process.disconnect();
  }
});
