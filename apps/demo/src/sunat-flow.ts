import { createSunatAuth, type SunatAuth } from 'oauth-sunat';
import { createGreClient, type GreClient, type GreStatus } from 'sunat-gre-client';
import { buildDespatchAdvice, type Guide, type SigningKey, signXml } from 'sunat-gre-client/gre';
import type { Dispatcher } from 'undici';
import type { Journal, JournalEntry } from './journal.js';
import type { Progress } from './progress.js';
import { guideMeetsExpectation, type SunatFlowResult, type SunatGuideResult } from './result.js';
import type { SandboxState } from './sandboxes.js';

export interface SunatConnection {
  auth: SunatAuth;
  gre: GreClient;
}

export function connectSunat(o: {
  authUrl: string;
  cpeUrl: string;
  dispatcher: Dispatcher;
  credentials: { clientId: string; clientSecret: string; ruc: string; solUser: string; solPassword: string };
  pollIntervalMs: number;
}): SunatConnection {
  const auth = createSunatAuth({ ...o.credentials, baseUrl: o.authUrl, dispatcher: o.dispatcher });
  const gre = createGreClient({
    auth,
    baseUrl: o.cpeUrl,
    dispatcher: o.dispatcher,
    pollIntervalMs: o.pollIntervalMs,
    maxPollIntervalMs: o.pollIntervalMs * 8,
  });
  return { auth, gre };
}

/** One guide to send and the outcome it is meant to show. */
export interface PlannedGuide {
  label: string;
  expected: SunatGuideResult['expected'];
  /** What names the document (issuer, type, series, number). */
  guide: Guide;
  /** The signed DespatchAdvice, sent as is (made when the flow reaches the guide, so a refusal is that flow's error). */
  signedXml(): string;
}

interface FlowContext {
  journal: Journal;
  progress: Progress;
  /** Sandbox mode: the sandboxes' state, journaled with every ticket. */
  sandboxState?: () => SandboxState;
  waitTimeoutMs: number;
}

/** token → build, sign and send each guide (journaling its ticket) → wait for every verdict → CDR summaries. */
export async function runSunatFlow(conn: SunatConnection, guides: PlannedGuide[], ctx: FlowContext): Promise<SunatFlowResult> {
  const { progress, journal } = ctx;
  progress.step('SUNAT: token (password grant)');
  await conn.auth.getToken();
  progress.succeed('SUNAT: token received');

  const entries: JournalEntry[] = [];
  for (const planned of guides) {
    const { guide } = planned;
    progress.step(`SUNAT: building, signing and sending ${guide.series}-${guide.number} (${planned.label})`);
    const sent = await conn.gre.send({
      ruc: guide.issuer.ruc,
      type: guide.type,
      series: guide.series,
      number: guide.number,
      xml: planned.signedXml(),
    });
    // Journaled before any poll: if the process dies now, `demo resume` still knows the ticket.
    entries.push(
      journal.add(
        { flow: 'sunat', id: sent.ticket, label: planned.label, expected: planned.expected, fileName: sent.fileName },
        ctx.sandboxState?.(),
      ),
    );
    progress.succeed(`SUNAT: ${sent.fileName} sent, ticket ${sent.ticket}`);
  }
  return waitForGuides(conn, entries, ctx);
}

/** Waits for the verdict of every journaled ticket (also what `demo resume` runs). */
export async function waitForGuides(conn: SunatConnection, entries: JournalEntry[], ctx: FlowContext): Promise<SunatFlowResult> {
  const { progress, journal } = ctx;
  const states = new Map(entries.map((e) => [e.id, 'sent']));
  const show = () => progress.update(`SUNAT: waiting for verdicts — ${[...states].map(([t, s]) => `${t.slice(0, 8)}… ${s}`).join(', ')}`);
  progress.step('SUNAT: waiting for verdicts');
  const guides = await Promise.all(
    entries.map(async (entry): Promise<SunatGuideResult> => {
      let status: GreStatus;
      try {
        status = await conn.gre.waitForResult(entry.id, {
          timeoutMs: ctx.waitTimeoutMs,
          onPoll: (s, attempt) => {
            states.set(entry.id, `${s.state} (poll ${attempt})`);
            show();
          },
        });
      } catch (e) {
        // This ticket stays pending in the journal (`demo resume` picks it up); the other guides still report.
        const err = e as Error & { code?: unknown };
        states.set(entry.id, 'no verdict');
        return {
          ...guideResult(entry, { state: 'pending', code: '', raw: undefined }),
          error: { code: String(err.code ?? err.name), message: err.message },
          ok: false,
        };
      }
      states.set(entry.id, status.state);
      show();
      journal.complete(entry.id, status.state, ctx.sandboxState?.());
      return guideResult(entry, status);
    }),
  );
  const ok = guides.every((g) => g.ok);
  (ok ? progress.succeed : progress.fail)(`SUNAT: ${guides.length} verdict${guides.length === 1 ? '' : 's'} received`);
  return { flow: 'sunat', ok, guides };
}

function guideResult(entry: JournalEntry, s: GreStatus): SunatGuideResult {
  const g: Omit<SunatGuideResult, 'ok'> = {
    label: entry.label,
    fileName: entry.fileName ?? '',
    ticket: entry.id,
    expected: entry.expected as SunatGuideResult['expected'],
    state: s.state,
    code: s.code,
    ...(s.error ? { error: { code: s.error.code, message: s.error.message } } : {}),
    ...(s.cdr
      ? {
          cdr: {
            responseCode: s.cdr.responseCode,
            description: s.cdr.description,
            notes: s.cdr.notes.map((n) => ({ code: n.code, text: n.text })),
            documentUrl: s.cdr.documentUrl,
          },
        }
      : {}),
  };
  return { ...g, ok: guideMeetsExpectation(g) };
}

/** Today's date and time in Lima (UTC−5, no daylight saving), as the guide's issue date and time. */
function limaNow(): { date: string; time: string } {
  const iso = new Date(Date.now() - 5 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

/**
 * The sandbox run's three guides, each showing one of SUNAT's outcomes as SUNAT's own stylesheets decide it (the
 * sandbox applies the same rules): accepted; accepted with an observation (public transport whose carrier gives no
 * MTC registration: observation 4391); rejected (an XML another system wrote, whose driver's licence breaks SUNAT's
 * pattern: 2573). The first two are built with `buildDespatchAdvice`; the third is what a team with its own XML
 * sends: this package's validator would refuse the guide, so the demo builds a valid one, alters the licence in the
 * XML as that system would, and signs the result with `signXml`.
 */
export function demoGuides(ruc: string, key: SigningKey): PlannedGuide[] {
  const { date, time } = limaNow();
  const privateTransport: Partial<Guide['shipment']> = {
    mode: '02',
    vehicles: [{ plate: 'ABC123' }],
    drivers: [{ documentType: '1', documentNumber: '45678912', firstNames: 'José', lastNames: 'Muñoz', license: 'Q45678912' }],
  };
  // A carrier without its MTC registration: accepted with observation 4391.
  const publicTransportNoMtc: Partial<Guide['shipment']> = {
    mode: '01',
    carrier: { ruc: '20600000005', name: 'Transportes Andinos E.I.R.L.' },
  };
  const guide = (number: number, transport: Partial<Guide['shipment']>): Guide => ({
    type: '09',
    series: 'T001',
    number,
    issueDate: date,
    issueTime: time,
    issuer: { ruc, name: 'Comercializadora Demo S.A.C.' },
    recipient: { documentType: '6', documentNumber: '20131312955', name: 'Distribuidora Ñandú S.A.' },
    shipment: {
      reason: '01',
      grossWeight: 1250.5,
      weightUnit: 'KGM',
      startDate: date,
      start: { ubigeo: '150203', address: 'Av. Argentina 1234, Callao' },
      arrival: { ubigeo: '040101', address: 'Calle Mercaderes 210, Arequipa' },
      ...transport,
    },
    lines: [{ quantity: 10, unitCode: 'NIU', description: 'Café orgánico de Chanchamayo', code: 'CAF-01' }],
  });
  const planned = (label: string, expected: PlannedGuide['expected'], g: Guide, xml: () => string): PlannedGuide => ({
    label,
    expected,
    guide: g,
    signedXml: () => signXml(xml(), key, { algorithm: 'rsa-sha256' }),
  });
  const rejected = guide(3, privateTransport);
  return [
    planned('accepted', 'accepted', guide(1, privateTransport), () => buildDespatchAdvice(guide(1, privateTransport))),
    planned("accepted with an observation (carrier's MTC registration missing)", 'observed', guide(2, publicTransportNoMtc), () =>
      buildDespatchAdvice(guide(2, publicTransportNoMtc)),
    ),
    planned("rejected (another system's XML: driver's licence Q-4567891)", 'rejected', rejected, () =>
      withLicence(buildDespatchAdvice(rejected), 'Q45678912', 'Q-4567891'),
    ),
  ];
}

/** The XML with a driver's licence rewritten, as a system that writes its own XML (and SUNAT's pattern 2573 refuses) would. */
function withLicence(xml: string, from: string, to: string): string {
  const element = (licence: string) => `<cac:IdentityDocumentReference><cbc:ID>${licence}</cbc:ID></cac:IdentityDocumentReference>`;
  if (!xml.includes(element(from))) throw new Error(`the built XML has no licence ${from}`);
  return xml.replace(element(from), element(to));
}
