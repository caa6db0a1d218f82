import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
// biome-ignore lint/correctness/useImportExtensions: a plain-JS script, imported by its real name
import { DEFAULT_SOURCE, generate, TARGET } from '../scripts/gen-codes.mjs';
import { describeSunatCode } from '../src/index.js';

describe('src/generated/sunat-codes.ts', () => {
  it('is what scripts/gen-codes.mjs makes from CodeErrors.xml (regenerate when this fails)', () => {
    expect(readFileSync(TARGET, 'utf8')).toBe(generate(readFileSync(DEFAULT_SOURCE, 'utf8')));
  });

  it("holds SUNAT's own texts", () => {
    const xml = readFileSync(DEFAULT_SOURCE, 'utf8');
    const sample = [...xml.matchAll(/<error code="(\d+)">([^<&]+)<\/error>/g)].filter((_, i) => i % 97 === 0);
    expect(sample.length).toBeGreaterThan(10);
    for (const [, code, text] of sample) expect(describeSunatCode(code!)).toBe(text!.replace(/\s+/g, ' ').trim());
    expect(describeSunatCode('2112')).toBe('CustomizationID - La version del documento no es correcta');
  });
});
