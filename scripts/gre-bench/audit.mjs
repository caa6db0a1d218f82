// What SUNAT (the sandbox) stored, per document: read by the GRE soaks' sandbox process and by sunat-gre-queue's
// chaos test, which both check that each document was accepted exactly once.

/**
 * Per document (`baseName`, `RUC-TT-SERIE-NUMERO`): how many of its copies were accepted, refused as 1033
 * (a duplicate of a stored one), or answered otherwise. `documents` is `sandbox.snapshot().documents`.
 */
export function outcomesPerDocument(documents) {
  const perDoc = new Map();
  for (const d of documents) {
    const e = perDoc.get(d.baseName) ?? { accepted: 0, duplicate: 0, other: 0 };
    if (d.outcome.code === '0') e.accepted++;
    else if (d.outcome.code === '1033') e.duplicate++;
    else e.other++;
    perDoc.set(d.baseName, e);
  }
  return perDoc;
}
