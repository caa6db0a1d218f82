/** What each flow reports; `--json` prints these, the live display prints their summaries. */
export interface SunatGuideResult {
  label: string;
  fileName: string;
  ticket: string;
  expected: 'accepted' | 'observed' | 'rejected';
  state: 'accepted' | 'rejected' | 'pending';
  code: string;
  error?: { code: string; message: string };
  cdr?: { responseCode: string; description: string; notes: { code: string; text: string }[]; documentUrl?: string };
  ok: boolean;
}

export interface SunatFlowResult {
  flow: 'sunat';
  ok: boolean;
  guides: SunatGuideResult[];
}

export interface SberFlowResult {
  flow: 'sber';
  ok: boolean;
  externalId: string;
  expected: string;
  bankStatus: string;
  bankComment?: string | null;
  statuses: string[];
}

/** A flow that could not finish (a refused token, a lost connection…): what went wrong, in the error's own words. */
export interface FlowFailure {
  flow: 'sunat' | 'sber';
  ok: false;
  error: { name: string; code?: string; message: string };
}

export type FlowResult = SunatFlowResult | SberFlowResult | FlowFailure;

/** The one object `--json` prints. */
export interface DemoResult {
  ok: boolean;
  command: 'run' | 'resume';
  mode: 'sandbox' | 'live';
  journal: string;
  flows: FlowResult[];
}

/** A guide meets expectations when its final state and CDR match the kind of outcome it was sent to show. */
export function guideMeetsExpectation(g: Omit<SunatGuideResult, 'ok'>): boolean {
  switch (g.expected) {
    case 'accepted':
      return g.state === 'accepted' && (g.cdr?.notes.length ?? 0) === 0;
    case 'observed':
      return g.state === 'accepted' && (g.cdr?.notes.length ?? 0) > 0;
    case 'rejected':
      return g.state === 'rejected';
  }
}
