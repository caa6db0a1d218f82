// The sandbox in its own process, so that its signature checks do not share a thread with the code measured.
import { startSberSandbox } from 'sber-api-sandbox';

const options = JSON.parse(process.argv[2] ?? '{}');
const sandbox = await startSberSandbox(options);
process.send({
  type: 'ready',
  url: sandbox.url,
  loginUrl: sandbox.loginUrl,
  ca: sandbox.ca,
  pfx: Buffer.from(sandbox.clientTls.pfx).toString('base64'),
  passphrase: sandbox.clientTls.passphrase,
});
process.on('message', async (m) => {
  if (m.type === 'stats') {
    const counts = [...sandbox.stats.registries.values()];
    process.send({
      type: 'stats',
      stored: counts.length,
      duplicated: counts.filter((n) => n > 1).length,
      creates: sandbox.stats.creates,
      polls: sandbox.stats.polls,
      tokenRequests: sandbox.stats.tokenRequests,
    });
  } else if (m.type === 'close') {
    await sandbox.close();
    process.exit(0);
  }
});
