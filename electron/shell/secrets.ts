import type { SecretProtector } from '../core/crypto/identity-store.js';

/** The part of Electron's safeStorage the app uses. */
export interface SafeStorageLike extends SecretProtector {
  getSelectedStorageBackend?: () => string;
}

/**
 * The OS keychain (Keychain, DPAPI, libsecret/kwallet) when it really protects secrets. On Linux
 * without a keyring Electron falls back to 'basic_text', a fixed built-in password: that is no
 * protection, so we say so and rely on file permissions instead.
 */
export function osSecretProtector(safeStorage: SafeStorageLike): SecretProtector | null {
  try {
    if (!safeStorage.isEncryptionAvailable()) return null;
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null;
    return safeStorage;
  } catch {
    return null;
  }
}
