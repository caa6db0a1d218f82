import type { DemoResult, FlowResult } from './result.js';

/**
 * Prints the result: one JSON object with --json, else a short summary per flow. In live mode the real secrets
 * are masked as a last line of defence (the packages never put them in results or errors in the first place; in
 * sandbox mode nothing is masked, so the demo's tests see exactly what the packages produce).
 */
export function printResult(result: DemoResult, o: { json: boolean; secrets: string[] }): void {
  const text = o.json ? `${JSON.stringify(result, null, 2)}\n` : summaryText(result);
  process.stdout.write(o.secrets.reduce((t, s) => t.split(s).join('***'), text));
}

function summaryText(r: DemoResult): string {
  const lines: string[] = [''];
  if (r.flows.length === 0) lines.push(`Nothing to resume: every submission in ${r.journal} has its final state.`);
  for (const f of r.flows) lines.push(...flowLines(f), '');
  if (r.flows.length > 0)
    lines.push(r.ok ? 'Every flow ended as expected.' : 'Some flow did not end as expected (see above).', `Journal: ${r.journal}`);
  return `${lines.join('\n')}\n`;
}

const mark = (ok: boolean) => (ok ? '✔' : '✖');

function flowLines(f: FlowResult): string[] {
  const title = f.flow === 'sunat' ? 'SUNAT GRE' : 'Sber debt registry';
  if ('error' in f) return [`${mark(false)} ${title}: ${f.error.name}${f.error.code ? ` (${f.error.code})` : ''}: ${f.error.message}`];
  if (f.flow === 'sber') {
    return [
      `${mark(f.ok)} ${title} ${f.externalId}: ${f.statuses.join(' → ')}${f.ok ? '' : ` (expected ${f.expected})`}`,
      ...(f.bankComment ? [`    bank comment: ${f.bankComment}`] : []),
    ];
  }
  return [
    `${title}:`,
    ...f.guides.flatMap((g) => [
      `  ${mark(g.ok)} ${g.fileName} — ${g.label}: ${g.state}${g.ok ? '' : ` (expected ${g.expected})`}, ticket ${g.ticket}`,
      ...(g.cdr ? [`      CDR ${g.cdr.responseCode}: ${g.cdr.description}`] : g.error ? [`      ${g.error.code}: ${g.error.message}`] : []),
      ...(g.cdr?.notes ?? []).map((n) => `      note ${n.code}: ${n.text}`),
      ...(g.cdr?.documentUrl ? [`      ${g.cdr.documentUrl}`] : []),
    ]),
  ];
}
