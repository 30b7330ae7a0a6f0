/**
 * What a line typed into `mcchat chat` means. A line starting with "/" is a command, never
 * text: a mistyped command (/qiut) must not go out to the whole room. "//" sends a literal "/".
 */
export type ChatLine =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'quit' | 'help' | 'peers' | 'stats' | 'group' }
  | { readonly kind: 'nick' | 'raw'; readonly arg: string }
  | { readonly kind: 'ttl'; readonly ttl: number }
  | { readonly kind: 'unknown'; readonly message: string };

export const CHAT_HELP = `/nick <name>  change nickname (kept)  /ttl <0-255>  TTL of the next messages
/raw <text>   send bare text         /peers        who is here
/stats        every counter          /quit         leave
/group        the group's Ethernet address and the OS's memberships
//text        send a line that starts with /`;

export function parseChatLine(line: string): ChatLine {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (trimmed.startsWith('//')) return { kind: 'text', text: line.slice(line.indexOf('/') + 1) };
  if (!trimmed.startsWith('/')) return { kind: 'text', text: line };
  const word = trimmed.split(/\s+/, 1)[0] ?? '';
  const arg = trimmed.slice(word.length).trim();
  switch (word) {
    case '/quit':
    case '/help':
    case '/peers':
    case '/stats':
    case '/group':
      return { kind: word.slice(1) as 'quit' | 'help' | 'peers' | 'stats' | 'group' };
    case '/nick':
    case '/raw':
      return { kind: word.slice(1) as 'nick' | 'raw', arg };
    case '/ttl': {
      // Whole numbers only; anything else reaches the core's check as NaN and is refused there.
      const ttl = /^-?\d{1,10}$/.test(arg) ? Number(arg) : Number.NaN;
      return { kind: 'ttl', ttl };
    }
    default:
      return { kind: 'unknown', message: `unknown command ${word}: /help lists the commands; to send a line starting with /, type // (e.g. //${word.slice(1)})` };
  }
}
