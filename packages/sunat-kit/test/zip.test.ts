import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readSingleEntryZip } from '../src/index.js';

describe('readSingleEntryZip', () => {
  const limits = { maxZipBytes: 1 << 20, maxEntryBytes: 1 << 16 };
  it('reads the one entry', () => {
    const r = readSingleEntryZip(zipSync({ 'a.xml': new TextEncoder().encode('<a/>') }), limits);
    expect('name' in r && r.name).toBe('a.xml');
    expect('data' in r && Buffer.from(r.data).toString()).toBe('<a/>');
  });
  it('names each refusal', () => {
    expect(readSingleEntryZip(new Uint8Array(0), limits)).toMatchObject({ rule: 'empty' });
    expect(readSingleEntryZip(new Uint8Array(40), limits)).toMatchObject({ rule: 'not-a-zip' });
    expect(readSingleEntryZip(zipSync({}), limits)).toMatchObject({ rule: 'entry-count', entries: 0 });
    expect(readSingleEntryZip(zipSync({ 'a.xml': new Uint8Array(1), 'b.xml': new Uint8Array(1) }), limits)).toMatchObject({
      rule: 'entry-count',
      entries: 2,
    });
    expect(readSingleEntryZip(zipSync({ '../a.xml': new Uint8Array(1) }), limits)).toMatchObject({ rule: 'path' });
    expect(readSingleEntryZip(zipSync({ 'a.xml': new Uint8Array(1 << 17) }), limits)).toMatchObject({ rule: 'entry-too-large' });
    const zip = zipSync({ 'a.xml': [new Uint8Array(100).fill(65), { level: 0 }] });
    zip[40] ^= 0xff; // a data byte of the stored entry: the CRC no longer matches
    expect(readSingleEntryZip(zip, limits)).toMatchObject({ rule: 'crc' });
  });
});
