import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { scratchDir } from '@internal/testkit';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSberTokenStore, memorySberTokenStore, SberError, type SberTokens, SberValidationError } from '../src/index.js';

const tokens = (n: number): SberTokens => ({
  accessToken: `access-${n}-xxxxxxxx`,
  accessTokenExpiresAt: 1_000 + n,
  refreshToken: `refresh-${n}-yyyyyyyy`,
  reserveRefreshToken: `refresh-${n - 1}-yyyyyyyy`,
  reserveUsableUntil: 5,
});

describe('fileSberTokenStore', () => {
  const dir = scratchDir('sber-store-');
  afterAll(() => dir.cleanup());

  it('loads undefined when the file does not exist, then round-trips with mode 0600', async () => {
    const path = dir.path('a.json');
    const store = fileSberTokenStore(path);
    expect(await store.load()).toBeUndefined();
    await store.save(tokens(1));
    expect(await store.load()).toEqual(tokens(1));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces atomically: many concurrent saves leave one complete file (the last) and no temporary files', async () => {
    const path = dir.path('b.json');
    const store = fileSberTokenStore(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.save(tokens(i + 1))));
    expect(await store.load()).toEqual(tokens(50));
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('b.json'))).toEqual(['b.json']);
  });

  it('refuses a corrupt file with a validation error naming it', async () => {
    const path = dir.path('c.json');
    writeFileSync(path, '{"accessToken": 1');
    await expect(fileSberTokenStore(path).load()).rejects.toSatisfy((e) => SberValidationError.isInstance(e) && e.field === 'tokenFile');
    writeFileSync(path, JSON.stringify({ accessToken: 'a', accessTokenExpiresAt: 'soon', refreshToken: 'r' }));
    await expect(fileSberTokenStore(path).load()).rejects.toSatisfy(
      (e) => SberValidationError.isInstance(e) && e.field === 'tokenFile.accessTokenExpiresAt',
    );
  });

  it('does not show tokens when inspected', () => {
    const m = memorySberTokenStore(tokens(3));
    expect(inspect(m)).not.toContain('access-3');
    expect(inspect(fileSberTokenStore(dir.path('d.json')))).not.toContain('refresh');
  });

  it('rejects a bad path and bad tokens before writing', async () => {
    expect(() => fileSberTokenStore('')).toThrow(SberValidationError);
    await expect(
      fileSberTokenStore(dir.path('e.json')).save({ accessToken: '', accessTokenExpiresAt: 1, refreshToken: 'x' }),
    ).rejects.toThrow(/accessToken/);
  });
});

describe('token file parsing (property)', () => {
  const dir = scratchDir('sber-store-fuzz-');
  afterAll(() => dir.cleanup());
  it('any file content loads as valid tokens, undefined, or a SberValidationError — nothing else', async () => {
    const path = dir.path('f.json');
    const store = fileSberTokenStore(path);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc
            .record({ accessToken: fc.string(), accessTokenExpiresAt: fc.oneof(fc.double(), fc.string()), refreshToken: fc.string() })
            .map((r) => JSON.stringify(r)),
        ),
        async (text) => {
          writeFileSync(path, text);
          try {
            const t = await store.load();
            if (t)
              expect(typeof t.accessToken === 'string' && t.accessToken.length > 0 && Number.isFinite(t.accessTokenExpiresAt)).toBe(true);
          } catch (e) {
            expect(SberError.isInstance(e) && SberValidationError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
