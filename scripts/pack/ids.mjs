// Every RUC (Peru, 11 digits) and INN (Russia, 10 or 12 digits) written in a README, a doc or a source string
// must pass the packages' own check: a reader copies them, and a wrong check digit fails before any request.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// A RUC may run into letters (username = RUC + SOL user, e.g. 20000000001MODDATOS), never into digits.
const RUC = /(?<![0-9A-Za-z])(?:10|15|16|17|20)\d{9}(?!\d)/g;
const INN = /(?<![0-9A-Za-z])(?:\d{12}|\d{10})(?![0-9A-Za-z])/g;
// A 10/12-digit number is an INN only where the line says so (timestamps, 2^32 and client ids are not).
const INN_CONTEXT = /\binn\b|инн|taxnumber|inn[A-Z:'"=]/i;
// Quotations of a service's own documents, kept byte for byte (each with the reason).
const QUOTED = new Map([['7707012345', "Sber's digest example (orgTaxNumber), reproduced byte for byte by sber-digest's test"]]);

function* files(dir, test) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path, test);
    else if (test(path)) yield path;
  }
}

/** @returns {{ checked: number, wrong: string[] }} */
export async function checkIds(root) {
  const { isValidRuc } = await import(join(root, 'packages/oauth-sunat/dist/validate.js'));
  const { isValidInn } = await import(join(root, 'packages/sber-digest/dist/validate.js'));
  const targets = [
    join(root, 'README.md'),
    ...files(join(root, 'packages'), (p) => /README\.md$|\/src\/.*\.ts$/.test(p) && !/\/testkit\//.test(p)),
    ...files(join(root, 'apps'), (p) => /README\.md$|\/src\/.*\.ts$|\.md$/.test(p)),
  ];
  const wrong = [];
  let checked = 0;
  for (const file of targets) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      // A wrong number shown as wrong (`isValidRuc('…') // false`) says so on its line.
      if (line.includes('invalid on purpose')) return;
      const where = `${relative(root, file)}:${i + 1}`;
      for (const [ruc] of line.matchAll(RUC)) {
        checked++;
        if (!isValidRuc(ruc)) wrong.push(`${where}: RUC ${ruc} fails the check digit`);
      }
      if (!INN_CONTEXT.test(line)) return;
      for (const [inn] of line.matchAll(INN)) {
        checked++;
        if (!isValidInn(inn) && !QUOTED.has(inn)) wrong.push(`${where}: INN ${inn} fails the checksum`);
      }
    });
  }
  return { checked, wrong };
}
