import { describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../src/index.js';

describe('memoryTokenStore', () => {
  it('returns what was set until it expires, and forgets on delete', async () => {
    const store = memoryTokenStore();
    await store.set('a', { token: 't1', expiresAt: Date.now() + 60_000 });
    await store.set('b', { token: 't2', expiresAt: Date.now() - 1 });
    expect(await store.get('a')).toMatchObject({ token: 't1' });
    expect(await store.get('b')).toBeUndefined();
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });
});
