import { describe, expect, it } from 'vitest';
import { C14nError, canonicalize } from '../src/gre/c14n.js';

describe('C14N entity references', () => {
  it('decodes the five predefined entities', () => {
    expect(canonicalize('<a t="&quot;&apos;">&lt;&gt;&amp;</a>')).toBe('<a t="&quot;\'">&lt;&gt;&amp;</a>');
  });
  it.each(['constructor', '__proto__', 'toString'])('&%s; is an unknown entity, not an Object.prototype member', (name) => {
    expect(() => canonicalize(`<a>&${name};</a>`)).toThrow(C14nError);
  });
});
