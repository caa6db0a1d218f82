import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { FaultSchedule, readSingleEntryZip } from '../src/index';

const schedule = (seed: number) =>
  new FaultSchedule<'a' | 'b', 'x' | 'y', { on: 'a' | 'b' | 'any'; kind: 'x' | 'y'; probability?: number; count?: number }>({
    seed,
    targets: ['a', 'b'],
    kinds: ['x', 'y'],
    bad: (field, message) => new RangeError(`${field}: ${message}`),
  });

describe('FaultSchedule', () => {
  it('gives the same draws for the same seed, and different ones for another seed', () => {
    const draws = (seed: number) => {
      const s = schedule(seed);
      s.inject({ on: 'a', kind: 'x', probability: 0.5 });
      return Array.from({ length: 64 }, () => (s.draw('a') ? 1 : 0)).join('');
    };
    expect(draws(7)).toBe(draws(7));
    expect(draws(7)).not.toBe(draws(8));
  });

  it('fires a rule without probability once, on its target only, first rule first', () => {
    const s = schedule(1);
    s.inject({ on: 'b', kind: 'y' });
    s.inject({ on: 'any', kind: 'x', count: 2 });
    expect(s.draw('a')?.kind).toBe('x');
    expect(s.draw('b')?.kind).toBe('y');
    expect(s.draw('b')?.kind).toBe('x');
    expect(s.draw('b')).toBeUndefined();
  });

  it('refuses bad rules with the sandbox error naming the field', () => {
    const s = schedule(1);
    expect(() => s.inject({ on: 'c' as never, kind: 'x' })).toThrow(/^on: /);
    expect(() => s.inject({ on: 'a', kind: 'z' as never })).toThrow(/^kind: /);
    expect(() => s.inject({ on: 'a', kind: 'x', probability: 2 })).toThrow(/^probability: /);
    expect(() => s.inject({ on: 'a', kind: 'x', count: 0 })).toThrow(/^count: /);
  });
});

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
    expect(readSingleEntryZip(zipSync({ 'a.xml': new Uint8Array(1), 'b.xml': new Uint8Array(1) }), limits)).toMatchObject({ rule: 'entry-count', entries: 2 });
    expect(readSingleEntryZip(zipSync({ '../a.xml': new Uint8Array(1) }), limits)).toMatchObject({ rule: 'path' });
    expect(readSingleEntryZip(zipSync({ 'a.xml': new Uint8Array(1 << 17) }), limits)).toMatchObject({ rule: 'entry-too-large' });
    const zip = zipSync({ 'a.xml': [new Uint8Array(100).fill(65), { level: 0 }] });
    zip[40] ^= 0xff; // a data byte of the stored entry: the CRC no longer matches
    expect(readSingleEntryZip(zip, limits)).toMatchObject({ rule: 'crc' });
  });
});
