export * from './openssl';
export * from './hostile';
export * from './gre';
export * from './fuzz';
export * from './tls';
export * from './fixtures';
export * from './secrets';
export * from './cases';
