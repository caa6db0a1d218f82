import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Real documents of the services, kept in the repository (testkit/fixtures) so every clone tests against them:
 * SUNAT's CDR sample (`sunat/cdrGRE.zip` and its XML), its error catalogue (`sunat/CodeErrors.xml`) and the
 * GRE REST contract (`sunat/gre-api.openapi.yaml`).
 */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export function readFixture(name: string): Buffer {
  return readFileSync(fixturePath(name));
}
