import { ChatError, isChatError } from '../../shared/errors.js';

export interface SocketContext {
  readonly group: string;
  readonly port: number;
  readonly iface?: string;
}

function errno(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** An OS error from a socket call, as a sentence that says what happened and what to do. */
export function toChatError(error: unknown, context: SocketContext): ChatError {
  if (isChatError(error)) return error;
  const where = context.iface ? ` on interface ${context.iface}` : '';
  switch (errno(error)) {
    case 'EADDRINUSE':
      // The usual culprit in class: the lecture's Python receiver binds without SO_REUSEADDR, and
      // on Linux two sockets share a port only if both set it (whichever starts first).
      return new ChatError(
        'PORT_IN_USE',
        `Port ${context.port} is in use by another program that does not share it, such as a Python receiver that binds without SO_REUSEADDR. ` +
          'Add sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1) before its bind(), close it, or choose another port.',
        'port',
      );
    case 'EACCES':
    case 'EPERM':
      return new ChatError(
        'PERMISSION_DENIED',
        `Not allowed to use port ${context.port}${where}: ports below 1024 need administrator rights, or a firewall or security policy blocked it.`,
        'port',
      );
    case 'ENODEV':
      return new ChatError(
        'NO_SUCH_DEVICE',
        `No network device can join ${context.group}${where}: the interface may be down or have no multicast route. Choose an interface explicitly.`,
        'iface',
      );
    case 'EADDRNOTAVAIL':
      return new ChatError(
        'ADDRESS_NOT_AVAILABLE',
        `The address${where || ''} is not available on this machine any more (the network may have changed). Choose another interface or rejoin.`,
        'iface',
      );
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new ChatError('NETWORK_ERROR', `The network is unreachable${where}: no route to ${context.group}. Check the cable or Wi-Fi, or choose another interface.`, 'iface');
    default: {
      const code = errno(error);
      const detail = error instanceof Error ? error.message : String(error);
      return new ChatError('NETWORK_ERROR', `Network error${code ? ` (${code})` : ''}${where}: ${detail}`);
    }
  }
}
