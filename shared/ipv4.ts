/** Pure IPv4 helpers shared by the core, the CLI and the renderer's inline validation. */

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(text: string): boolean {
  return DOTTED_QUAD.test(text);
}

/** The address as an unsigned 32-bit number, or null when it is not a dotted quad. */
export function ipv4ToNumber(text: string): number | null {
  if (!isIPv4(text)) return null;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** 224.0.0.0/4 */
export function isMulticastIPv4(text: string): boolean {
  const n = ipv4ToNumber(text);
  return n !== null && n >= 0xe0000000 && n <= 0xefffffff;
}

/** 224.0.0.0/24: link-local control block, never forwarded whatever the TTL. */
export function isLinkLocalMulticast(text: string): boolean {
  return text.startsWith('224.0.0.') && isMulticastIPv4(text);
}

/**
 * IGMP-snooping switches cannot tell apart groups whose low 23 bits match x.0.0.y or
 * x.128.0.y (they map onto the MAC addresses of 224.0.0.0/24), so they flood them to every port.
 */
export function isFloodedBySnoopingSwitches(text: string): boolean {
  const n = ipv4ToNumber(text);
  if (n === null || !isMulticastIPv4(text)) return false;
  return (n & 0x007fff00) === 0;
}

/** 239.0.0.0/8, RFC 2365 administratively scoped: meant for private use like ours. */
export function isAdminScopedMulticast(text: string): boolean {
  return text.startsWith('239.') && isMulticastIPv4(text);
}
