import { deriveRoomKey, roomKeyFromBytes, type RoomKey } from '../core/crypto/room-key.js';
import type { SecretProtector } from '../core/crypto/identity-store.js';

/** How the shell gets, keeps and restores passphrase rooms' keys. */
export interface RoomKeyVault {
  /** scrypt in the main process (a few hundred ms): the passphrase never leaves it, nor reaches disk. */
  derive(passphrase: string, group: string, port: number): Promise<RoomKey>;
  /** The key encrypted by the OS keychain, to save with the room; null without a keychain. */
  protect(key: RoomKey): string | null;
  /** A saved key back, or null when the keychain cannot open it (then the user types the passphrase again). */
  restore(saved: string): RoomKey | null;
}

export function createRoomKeyVault(protector: SecretProtector | null): RoomKeyVault {
  return {
    derive: (passphrase, group, port) => deriveRoomKey(passphrase, group, port),
    protect(key) {
      if (!protector) return null;
      const bytes = key.exportBytes();
      try {
        return protector.encryptString(Buffer.from(bytes).toString('base64')).toString('base64');
      } catch {
        return null;
      } finally {
        bytes.fill(0);
      }
    },
    restore(saved) {
      if (!protector) return null;
      try {
        const bytes = Buffer.from(protector.decryptString(Buffer.from(saved, 'base64')), 'base64');
        return bytes.length === 32 ? roomKeyFromBytes(bytes) : null;
      } catch {
        return null;
      }
    },
  };
}
