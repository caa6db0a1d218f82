import { SberDigestValidationError } from './errors.js';

/** A field's value: text or a number; `null`, `undefined` and `''` leave the field out of the digest. */
export type DigestValue = string | number | null | undefined;
/** One `key=value` line: `[key, value]`, the key matching `[A-Za-z][A-Za-z0-9_]*`. */
export type DigestField = readonly [string, DigestValue];
/** A table of the digest's `TABLES` section. */
export interface DigestTable {
  /** Written as `Table=<name>`; same rule as a key. */
  name: string;
  /** Its rows, each a list of fields; each row is ended by a `#` line. */
  rows: ReadonlyArray<ReadonlyArray<DigestField>>;
}

/** One `key=value` line to be, with the input path that errors name. */
interface Line {
  key: string;
  value: DigestValue;
  path: string;
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
// `TABLES` and `Table=` are the structure lines of the table form: a field may not imitate them.
const RESERVED_KEY = /^(tables?)$/i;
// Line breaks of every kind and the other control characters (a tab is allowed): any of them could
// make a verifier see a line that was never a field.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkKey(key: unknown, path: string, what: string): string {
  if (typeof key !== 'string' || !KEY.test(key) || RESERVED_KEY.test(key)) {
    throw new SberDigestValidationError(path, 'key', `${what} must match [A-Za-z][A-Za-z0-9_]* and not be TABLES/Table`);
  }
  return key;
}

/** The text of a value, or undefined when the field is left out (null, undefined, ''). */
function valueText(value: unknown, path: string): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SberDigestValidationError(path, 'number', 'must be a finite number');
    return String(value);
  }
  if (typeof value !== 'string') throw new SberDigestValidationError(path, 'type', 'must be a string or a number');
  if (CONTROL.test(value)) throw new SberDigestValidationError(path, 'line-break', 'must not contain line breaks or control characters');
  if (value.includes('=')) throw new SberDigestValidationError(path, 'equals-sign', "must not contain '='");
  if (LONE_SURROGATE.test(value)) throw new SberDigestValidationError(path, 'utf8', 'contains a lone UTF-16 surrogate');
  return value;
}

function renderLines(lines: readonly Line[], keepEmpty = false): string[] {
  const out: string[] = [];
  for (const { key, value, path } of lines) {
    const text = valueText(value, path);
    if (text !== undefined) out.push(`${key}=${text}`);
    else if (keepEmpty) out.push(`${key}=`);
  }
  return out;
}

/** Plain lines first, then one TABLES section; empty rows and tables are left out like empty fields. */
function render(
  fields: readonly Line[],
  tables: ReadonlyArray<{ name: string; rows: readonly (readonly Line[])[] }>,
  keepEmpty = false,
): string {
  const out = renderLines(fields, keepEmpty);
  const section: string[] = [];
  for (const table of tables) {
    const rows = table.rows.map((row) => renderLines(row, keepEmpty)).filter((row) => row.length > 0);
    if (rows.length === 0) continue;
    section.push(`Table=${table.name}`);
    for (const row of rows) section.push(...row, '#');
  }
  if (section.length > 0) out.push('TABLES', ...section);
  return out.join('\n');
}

function toLines(fields: ReadonlyArray<DigestField>, path: (i: number, key: string) => string): Line[] {
  if (!Array.isArray(fields)) throw new SberDigestValidationError('fields', 'type', 'must be an array of [key, value] pairs');
  return fields.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new SberDigestValidationError(path(i, ''), 'type', 'must be a [key, value] pair');
    }
    const key = checkKey(pair[0], path(i, ''), 'the key');
    return { key, value: pair[1], path: path(i, key) };
  });
}

/**
 * The digest text of any Sber document: `key=value` lines in the given order, joined with `\n`, no trailing
 * newline, fields whose value is null/undefined/'' left out. `tables` follow the plain fields as
 * `TABLES`, then per table `Table=<name>` and its rows, each row ended by a `#` line.
 */
export function buildDigest(fields: ReadonlyArray<DigestField>, tables: ReadonlyArray<DigestTable> = []): string {
  const lines = toLines(fields, (i, key) => key || `fields[${i}]`);
  if (!Array.isArray(tables)) throw new SberDigestValidationError('tables', 'type', 'must be an array');
  const rendered = tables.map((table, t) => {
    const name = checkKey(table?.name, `tables[${t}].name`, 'a table name');
    if (!Array.isArray(table.rows)) throw new SberDigestValidationError(`tables[${t}].rows`, 'type', 'must be an array');
    const rows: ReadonlyArray<ReadonlyArray<DigestField>> = table.rows;
    return { name, rows: rows.map((row, r) => toLines(row, (i, key) => `tables[${t}].rows[${r}]${key ? `.${key}` : `[${i}]`}`)) };
  });
  return render(lines, rendered);
}

/** The fields of a debt registry that its digest covers, named as in the Sber API's JSON. */
export interface DebtRegistryDigestInput {
  /** The registry's own id (a UUID). */
  externalId: string;
  /** Registry date, `YYYY-MM-DD`. */
  date: string;
  /** Number of records in the registry. */
  recordNum?: string | number;
  /** Id(s) of the uploaded registry file(s); or give them as `bfAttachments`. */
  fileId?: string | string[];
  /** The registry's files as the API lists them; must name the same files as `fileId` when both are given. */
  bfAttachments?: {
    /** Id of an uploaded file. */
    fileId?: string;
  }[];
  /** Name of the organisation that sends the registry. */
  orgName: string;
  /** Its INN (10 or 12 digits). */
  orgTaxNumber: string;
}

/** Options of {@link buildDebtRegistryDigest} and {@link signDebtRegistry}. */
export interface DebtRegistryDigestOptions {
  /**
   * How the registry's files are written. 'lines' (default, as the seed shows): one `fileId=` line per file
   * in the 4th position. 'table': `TABLES` / `Table=BfAttachments` / `fileId=…` / `#` after the plain fields.
   */
  attachments?: 'lines' | 'table';
  /**
   * A field without a value (recordNum, fileId): 'omit' (default) leaves its line out, as open-condo-software/condo's
   * digest does; 'keep' writes `key=` with nothing after the sign.
   */
  emptyFields?: 'omit' | 'keep';
}

/** The file ids of a registry, from `fileId` or `bfAttachments[].fileId`, each with its input path. */
export function registryFileIds(registry: Record<string, unknown>): Line[] {
  const { fileId, bfAttachments } = registry;
  const fromFileId: Line[] = [];
  if (Array.isArray(fileId)) fileId.forEach((id, i) => fromFileId.push({ key: 'fileId', value: id, path: `fileId[${i}]` }));
  else if (fileId !== undefined && fileId !== null) fromFileId.push({ key: 'fileId', value: fileId as DigestValue, path: 'fileId' });

  const fromAttachments: Line[] = [];
  if (bfAttachments !== undefined && bfAttachments !== null) {
    if (!Array.isArray(bfAttachments)) throw new SberDigestValidationError('bfAttachments', 'type', 'must be an array');
    bfAttachments.forEach((a, i) => {
      if (typeof a !== 'object' || a === null || Array.isArray(a))
        throw new SberDigestValidationError(`bfAttachments[${i}]`, 'type', 'must be an object');
      fromAttachments.push({ key: 'fileId', value: (a as { fileId?: DigestValue }).fileId, path: `bfAttachments[${i}].fileId` });
    });
  }
  const present = (lines: Line[]): Line[] => lines.filter((l) => l.value !== undefined && l.value !== null && l.value !== '');
  const [a, b] = [present(fromFileId), present(fromAttachments)];
  if (a.length > 0 && b.length > 0 && (a.length !== b.length || a.some((l, i) => l.value !== b[i]!.value))) {
    throw new SberDigestValidationError('fileId', 'conflict', 'fileId and bfAttachments[].fileId list different files; give one of them');
  }
  return a.length > 0 ? a : b;
}

/**
 * The digest text of a debt registry, fields in the seed's order: externalId, date, recordNum, fileId, orgName,
 * orgTaxNumber. Formats only: the INN checksum and the other rules are `validateDebtRegistry`'s job (the seed's
 * own example carries an invalid INN).
 */
export function buildDebtRegistryDigest(registry: DebtRegistryDigestInput, options: DebtRegistryDigestOptions = {}): string {
  if (typeof registry !== 'object' || registry === null) throw new SberDigestValidationError('registry', 'type', 'must be an object');
  const mode = options.attachments ?? 'lines';
  if (mode !== 'lines' && mode !== 'table')
    throw new SberDigestValidationError('options.attachments', 'type', "must be 'lines' or 'table'");
  const empty = options.emptyFields ?? 'omit';
  if (empty !== 'omit' && empty !== 'keep') throw new SberDigestValidationError('options.emptyFields', 'type', "must be 'omit' or 'keep'");
  const keep = empty === 'keep';
  const r = registry as unknown as Record<string, DigestValue>;
  const field = (key: keyof DebtRegistryDigestInput): Line => ({ key, value: r[key], path: key });
  const found = registryFileIds(registry as unknown as Record<string, unknown>);
  // 'keep' writes an empty fileId line for a registry without files, like any other empty field.
  const files = found.length === 0 && keep ? [{ key: 'fileId', value: undefined, path: 'fileId' }] : found;
  const head = [field('externalId'), field('date'), field('recordNum')];
  const tail = [field('orgName'), field('orgTaxNumber')];
  if (mode === 'lines') return render([...head, ...files, ...tail], [], keep);
  return render([...head, ...tail], [{ name: 'BfAttachments', rows: found.map((line) => [line]) }], keep);
}
