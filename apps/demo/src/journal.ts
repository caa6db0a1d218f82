import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

/** One submission whose outcome must not be lost: a SUNAT ticket or a Sber registry's externalId. */
export interface JournalEntry {
  flow: 'sunat' | 'sber';
  id: string;
  label: string;
  expected: string;
  submittedAt: string;
  final?: { state: string; at: string };
}

export interface JournalFile {
  mode: 'sandbox' | 'live';
  /** Where the sandboxes keep their state, so `demo resume` can bring the same services back. */
  sandboxState?: { sunat: string; sber: string };
  entries: JournalEntry[];
}

/**
 * The submission journal. Every write goes to a temporary file that is flushed and then renamed over the
 * journal, so a crash leaves either the old or the new journal, never a torn one.
 */
export class Journal {
  private data: JournalFile;

  private constructor(readonly path: string, data: JournalFile) {
    this.data = data;
  }

  static create(path: string, head: Omit<JournalFile, 'entries'>): Journal {
    const journal = new Journal(path, { ...head, entries: [] });
    journal.save();
    return journal;
  }

  static open(path: string): Journal {
    if (!existsSync(path)) throw new Error(`No journal at ${path}: nothing to resume.`);
    return new Journal(path, JSON.parse(readFileSync(path, 'utf8')) as JournalFile);
  }

  get file(): Readonly<JournalFile> {
    return this.data;
  }

  pending(flow?: JournalEntry['flow']): JournalEntry[] {
    return this.data.entries.filter((e) => !e.final && (!flow || e.flow === flow));
  }

  add(entry: Omit<JournalEntry, 'submittedAt'>): void {
    this.data.entries.push({ ...entry, submittedAt: new Date().toISOString() });
    this.save();
  }

  complete(id: string, state: string): void {
    const entry = this.data.entries.find((e) => e.id === id);
    if (!entry) throw new Error(`journal has no entry ${id}`);
    entry.final = { state, at: new Date().toISOString() };
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
