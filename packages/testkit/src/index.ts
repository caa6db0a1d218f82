export * from './openssl';
export * from './hostile';
export * from './gre';
