import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxState } from './sandboxes.js';

/** One submission whose outcome must not be lost: a SUNAT ticket or a Sber registry's externalId. */
export interface JournalEntry {
  flow: 'sunat' | 'sber';
  id: string;
  label: string;
  expected: string;
  /** SUNAT: the file name the ticket belongs to. */
  fileName?: string;
  submittedAt: string;
  final?: { state: string; at: string };
}

export interface JournalFile {
  mode: 'sandbox' | 'live';
  /** The sandboxes' documents as of the last entry, so `demo resume` can bring the same services back. */
  sandboxState?: SandboxState;
  entries: JournalEntry[];
}

/**
 * The submission journal. Every write goes to a temporary file that is flushed and then renamed over the
 * journal, so a crash leaves either the old or the new journal, never a torn one.
 */
export class Journal {
  private data: JournalFile;

  private constructor(
    readonly path: string,
    data: JournalFile,
  ) {
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

  /** Records a submission (with the sandboxes' state that now holds it) in one atomic write. */
  add(entry: Omit<JournalEntry, 'submittedAt'>, sandboxState?: SandboxState): JournalEntry {
    const added = { ...entry, submittedAt: new Date().toISOString() };
    this.data.entries.push(added);
    if (sandboxState) this.data.sandboxState = sandboxState;
    this.save();
    return added;
  }

  complete(id: string, state: string, sandboxState?: SandboxState): void {
    const entry = this.data.entries.find((e) => e.id === id);
    if (!entry) throw new Error(`journal has no entry ${id}`);
    entry.final = { state, at: new Date().toISOString() };
    if (sandboxState) this.data.sandboxState = sandboxState;
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
