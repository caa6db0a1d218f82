// The one error base of every package (docs/errors.md). Private: tsup inlines it into each package's bundle.
export { BrandedError } from './branded-error.js';
