import { describe, expect, it } from 'vitest';
import { buildGroupView } from '../../shared/group-view.js';
import { groupViewLines } from './group-lines.js';

const room = { roomId: '239.255.42.99:4242', group: '239.255.42.99', interfaces: [{ name: 'eth0', address: '192.168.1.10' }, { name: 'lo', address: '127.0.0.1' }] };

describe('mcchat chat /group', () => {
  it("prints the group's Ethernet address, its sharing, link-local or not, and the OS memberships", () => {
    const view = buildGroupView(room, { available: true, source: '/proc/net/igmp', interfaces: [{ name: 'eth0', groups: ['239.255.42.99'] }] });
    expect(view && groupViewLines(view)).toEqual([
      'group 239.255.42.99: Ethernet 01:00:5e:7f:2a:63 (01:00:5e + its low 23 bits), shared with 31 other groups (224.127.42.99, 224.255.42.99, …)',
      'not link-local: routers may forward it, as far as the TTL allows',
      'the OS holds it on: eth0; not on lo, where this room joined (from /proc/net/igmp)',
    ]);
  });

  it('says why the OS could not tell, and escapes what the OS printed', () => {
    const view = buildGroupView({ ...room, group: '224.0.0.251' }, { available: false, reason: 'netsh printed no interface ("\u001b[2J")' });
    expect(view && groupViewLines(view).slice(1)).toEqual([
      'link-local (224.0.0.x): routers never forward it, whatever the TTL',
      'the OS holds it on: not available: netsh printed no interface ("\\x1b[2J")',
    ]);
  });
});
