import { DEFAULT_CLIENT, type SberSandbox, type SberSandboxState, startSberSandbox } from 'sber-api-sandbox';
import { type SunatSandbox, type SunatSandboxState, startSunatSandbox } from 'sunat-gre-sandbox';

/** The SUNAT sandbox's one taxpayer. The secrets are the sandbox's own; the demo never prints them. */
export const SUNAT_SANDBOX_CLIENT = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'moddatos',
} as const;

export const SBER_SANDBOX_CLIENT = DEFAULT_CLIENT;

/** Every secret of the sandboxes' configuration: the demo's tests check that none reaches its output. */
export const SANDBOX_SECRETS = [SUNAT_SANDBOX_CLIENT.clientSecret, SUNAT_SANDBOX_CLIENT.solPassword, SBER_SANDBOX_CLIENT.clientSecret];

export interface SandboxState {
  sunat?: SunatSandboxState;
  sber?: SberSandboxState;
}

export interface Sandboxes {
  sunat?: SunatSandbox;
  sber?: SberSandbox;
  /** What the journal keeps, so that `demo resume` can bring the same services back after a crash. */
  snapshot(): SandboxState;
  close(): Promise<void>;
}

/**
 * The services the flows need, in this process, on loopback ports the OS picks. SUNAT verifies every XML
 * signature (as the real one does) and answers two "in process" polls before each verdict, so the progress
 * display has something to show. A sandbox that is not started keeps its earlier state in the snapshot.
 */
export async function startSandboxes(o: {
  flows: ('sunat' | 'sber')[];
  state?: SandboxState;
  gostCertificates?: { uuid: string; certificate: string }[];
}): Promise<Sandboxes> {
  const [sunat, sber] = await Promise.all([
    o.flows.includes('sunat')
      ? startSunatSandbox({ clients: [{ ...SUNAT_SANDBOX_CLIENT }], signature: 'required', pendingPolls: 2, state: o.state?.sunat })
      : undefined,
    o.flows.includes('sber')
      ? startSberSandbox({ certificates: o.gostCertificates ?? [], requireJws: true, pollsPerStatus: 1, state: o.state?.sber })
      : undefined,
  ]);
  return {
    sunat,
    sber,
    snapshot: () => ({ ...o.state, ...(sunat ? { sunat: sunat.snapshot() } : {}), ...(sber ? { sber: sber.snapshot() } : {}) }),
    close: async () => {
      await Promise.all([sunat?.close(), sber?.close()]);
    },
  };
}
