// The sandbox for the benchmark, in its own process so that it does not share the client's event loop.
import { startSunatSandbox } from 'sunat-gre-sandbox';

const client = JSON.parse(process.env.BENCH_CLIENT);
const sandbox = await startSunatSandbox({ clients: [client], pendingPolls: Number(process.env.BENCH_PENDING_POLLS ?? 1) });
process.send({ type: 'ready', authUrl: sandbox.authUrl, cpeUrl: sandbox.cpeUrl, ca: sandbox.ca });
process.on('message', async (m) => {
  if (m.type === 'stats') {
    const { tokenRequests, sends, polls, received } = sandbox.stats;
    process.send({ type: 'stats', tokenRequests, sends, polls, duplicates: [...received.values()].filter((n) => n > 1).length });
  } else if (m.type === 'close') {
    await sandbox.close();
    process.exit(0);
  }
});
