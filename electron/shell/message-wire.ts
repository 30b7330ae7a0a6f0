import { z } from 'zod';
import { MAX_FRAGMENTS } from '../../shared/protocol/constants.js';

/** Base64 of one UDP payload: at most 65,507 bytes, whatever a peer sent. */
const datagram = z
  .string()
  .max(Math.ceil(65_507 / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);
const wireSchema = z.array(datagram).min(1).max(MAX_FRAGMENTS);

/**
 * A message's datagrams as the core holds them (in memory, or read back from the history file),
 * checked before they cross into the page: anything else than 1–16 base64 datagrams is "not
 * held" rather than an error the user could do nothing about.
 */
export function checkedWire(wire: readonly string[] | null): readonly string[] | null {
  if (wire === null) return null;
  const parsed = wireSchema.safeParse(wire);
  return parsed.success ? parsed.data : null;
}
