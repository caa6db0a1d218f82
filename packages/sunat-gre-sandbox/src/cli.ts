#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSunatSandbox } from './index.js';

const DEMO_CLIENT = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'moddatos',
};

/** Replaced by the package's version at build time (tsup.base.ts); absent when the source runs directly. */
declare const PACKAGE_VERSION: string | undefined;

const { values } = parseCommandLine();

if (values.help) {
  console.log(
    'Usage: sunat-gre-sandbox [--port N] [--no-tls] [--pending-polls N] [--version] [--help]\n\nStarts a local SUNAT token host and GRE host. Ctrl+C stops it.',
  );
  process.exit(0);
}
if (values.version) {
  console.log(typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'unknown');
  process.exit(0);
}

/** Bad flags get one line and exit code 2 (usage error), never a stack trace. */
function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        'no-tls': { type: 'boolean', default: false },
        'pending-polls': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    console.error(`sunat-gre-sandbox: ${message}. See sunat-gre-sandbox --help.`);
    process.exit(2);
  }
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sunat-gre-sandbox: --port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}
const pendingPolls = values['pending-polls'] === undefined ? 1 : Number(values['pending-polls']);
if (!Number.isInteger(pendingPolls) || pendingPolls < 0) {
  console.error(`sunat-gre-sandbox: --pending-polls must be a whole number, got ${values['pending-polls']}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const sandbox = await startSunatSandbox({
    port,
    tls: !values['no-tls'],
    clients: [DEMO_CLIENT],
    pendingPolls,
  });

  console.log(`SUNAT GRE sandbox
  token host (authUrl): ${sandbox.authUrl}   POST /clientessol/${DEMO_CLIENT.clientId}/oauth2/token/
  GRE host   (cpeUrl):  ${sandbox.cpeUrl}   POST /contribuyente/gem/comprobantes/{RUC}-{TT}-{SERIE}-{NUM}

Demo credentials (sandbox only):
  client_id     ${DEMO_CLIENT.clientId}
  client_secret ${DEMO_CLIENT.clientSecret}
  RUC           ${DEMO_CLIENT.ruc}
  SOL user      ${DEMO_CLIENT.solUser}   (username = ${DEMO_CLIENT.ruc}${DEMO_CLIENT.solUser})
  SOL password  ${DEMO_CLIENT.solPassword}`);
  if (sandbox.ca) console.log(`\nTrust this CA (e.g. undici Agent { connect: { ca } } or NODE_EXTRA_CA_CERTS):\n${sandbox.ca}`);

  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
