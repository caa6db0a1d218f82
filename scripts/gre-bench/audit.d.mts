export interface DocumentOutcomes {
  accepted: number;
  duplicate: number;
  other: number;
}
export function outcomesPerDocument(documents: readonly { baseName: string; outcome: { code: string } }[]): Map<string, DocumentOutcomes>;
