/** The crypto of passphrase rooms and signed identities: node:crypto only, no Electron. */
export * from './identity.js';
export * from './identity-store.js';
export * from './room-key.js';
export * from './replay-guard.js';
export * from './trust-store.js';
