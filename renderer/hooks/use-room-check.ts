import { useEffect, useState } from 'react';
import type { ChatErrorInfo, ChatWarning } from '../../shared/errors.js';
import type { CommandArg } from '../../shared/ipc/contract.js';
import { invoke } from '../api.js';

export interface RoomCheck {
  readonly warnings: readonly ChatWarning[];
  readonly error: ChatErrorInfo | null;
}

/** Typing pauses this long before main is asked; each keystroke would otherwise be a round trip. */
const CHECK_DELAY_MS = 350;

/**
 * Main's opinion of a room config that already passes the shared schema: the checks only it can
 * make (is that interface on this machine? is the passphrase weak?) and its warnings. Null while unknown or stale.
 */
export function useRoomCheck(config: CommandArg<'checkRoom'> | null): RoomCheck | null {
  const key = config ? JSON.stringify(config) : null;
  const [result, setResult] = useState<{ key: string; check: RoomCheck } | null>(null);

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void invoke((api) => api.checkRoom(JSON.parse(key) as CommandArg<'checkRoom'>)).then((answer) => {
        if (cancelled) return;
        setResult({ key, check: answer.ok ? { warnings: answer.value.warnings, error: null } : { warnings: [], error: answer.error } });
      });
    }, CHECK_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);

  return result && result.key === key ? result.check : null;
}
