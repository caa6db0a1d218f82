#!/usr/bin/env node
// Placeholder until the demo issue lands: it only lists the flows the demo will run.
console.log('e-docs toolkit demo. Flows: sunat-gre (token → send → poll → CDR), sber-debt-registry (digest → sign → JWS over mTLS → poll).');
console.log('Not wired yet: see issue 7.');
