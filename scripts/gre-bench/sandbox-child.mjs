// The sandbox of the GRE benches and soaks, in its own process so that it shares neither the measured code's event
// loop nor its heap. Started by forkSandbox (sandbox.mjs); options come in the environment, and the parent asks
// for figures over IPC. sunat-gre-sandbox is imported from where the forking package resolves it
// (BENCH_SANDBOX_MODULE): this folder has no node_modules of its own.
import { outcomesPerDocument } from './audit.mjs';

const { startSunatSandbox } = await import(process.env.BENCH_SANDBOX_MODULE);

const sandbox = await startSunatSandbox({
  clients: [JSON.parse(process.env.BENCH_CLIENT)],
  pendingPolls: Number(process.env.BENCH_PENDING_POLLS ?? 1),
  faults: JSON.parse(process.env.BENCH_FAULTS ?? '[]'),
  seed: Number(process.env.BENCH_SEED ?? 1),
});
process.send({ type: 'ready', authUrl: sandbox.authUrl, cpeUrl: sandbox.cpeUrl, ca: sandbox.ca });

/** Per document: how often it was received, and how many of its copies were accepted, answered 1033, or otherwise. */
function audit() {
  const received = [...sandbox.stats.received.values()];
  const perDoc = outcomesPerDocument(sandbox.snapshot().documents);
  const docs = [...perDoc.values()];
  return {
    documents: perDoc.size,
    receivedOnce: received.filter((n) => n === 1).length,
    receivedMore: received.filter((n) => n > 1).length,
    acceptedOnce: docs.filter((e) => e.accepted === 1).length,
    acceptedTwice: docs.filter((e) => e.accepted > 1).length,
    acceptedNever: docs.filter((e) => e.accepted === 0).length,
    other: docs.filter((e) => e.other > 0).length,
    // a document received more than once whose later copies were all refused as 1033: stored once
    extraCopiesAll1033: docs.filter((e) => e.accepted + e.duplicate + e.other > 1).every((e) => e.accepted === 1 && e.other === 0),
    duplicateTickets: docs.reduce((n, e) => n + e.duplicate, 0),
  };
}

process.on('message', async (m) => {
  if (m.type === 'stats') {
    const { tokenRequests, sends, polls, received, faults } = sandbox.stats;
    process.send({ type: 'stats', tokenRequests, sends, polls, faults, duplicates: [...received.values()].filter((n) => n > 1).length });
  } else if (m.type === 'audit') process.send({ type: 'audit', ...audit() });
  else if (m.type === 'close') {
    await sandbox.close();
    process.exit(0);
  }
});
