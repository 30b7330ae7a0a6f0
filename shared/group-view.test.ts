import { describe, expect, it } from 'vitest';
import { buildGroupView, checkedGroupView, groupViewSchema, type OsMemberships } from './group-view.js';

const room = { roomId: '239.255.42.99:4242', group: '239.255.42.99', interfaces: [{ name: 'eth0', address: '192.168.1.10' }, { name: 'lo', address: '127.0.0.1' }] };

const os: OsMemberships = {
  available: true,
  source: '/proc/net/igmp',
  interfaces: [
    { name: 'lo', groups: ['224.0.0.1'] },
    { name: 'eth0', groups: ['239.255.42.99', '224.0.0.1'] },
    { name: 'wlan0', groups: ['239.255.42.99'] },
  ],
};

describe('a room group as the network sees it', () => {
  it('names its Ethernet address, the groups sharing it, and where the OS holds it', () => {
    const view = buildGroupView(room, os);
    expect(view).toEqual({
      roomId: room.roomId,
      group: '239.255.42.99',
      mac: '01:00:5e:7f:2a:63',
      sharedWith: 31,
      examples: ['224.127.42.99', '224.255.42.99'],
      linkLocal: false,
      // Another program joined it on wlan0; the room's join on lo is missing.
      os: { available: true, source: '/proc/net/igmp', holders: ['eth0', 'wlan0'], missing: ['lo'] },
    });
    expect(groupViewSchema.parse(view)).toEqual(view);
  });

  it('counts a membership of the device for its address label (eth0:1)', () => {
    const view = buildGroupView({ ...room, interfaces: [{ name: 'eth0:1', address: '10.0.0.2' }] }, os);
    expect(view?.os).toMatchObject({ holders: ['eth0', 'wlan0'], missing: [] });
  });

  it('passes on why the OS could not be read', () => {
    const view = buildGroupView({ ...room, group: '224.0.0.251' }, { available: false, reason: 'netstat -g -n printed nothing' });
    expect(view).toMatchObject({ mac: '01:00:5e:00:00:fb', linkLocal: true, os: { available: false, reason: 'netstat -g -n printed nothing' } });
    expect(groupViewSchema.safeParse(view).success).toBe(true);
  });

  it('has nothing to say about what is not a multicast group', () => {
    expect(buildGroupView({ ...room, group: '10.0.0.1' }, os)).toBeNull();
  });

  it('keeps its own facts and drops the OS part when that fails the checks', () => {
    const odd: OsMemberships = { available: true, source: '/proc/net/igmp', interfaces: [{ name: 'x'.repeat(300), groups: ['239.255.42.99'] }] };
    const view = buildGroupView(room, odd);
    if (!view) throw new Error('no view');
    expect(checkedGroupView(view)).toEqual({ ...view, os: { available: false, reason: "the system's answer did not pass the checks (os.holders.0)" } });
    const fine = buildGroupView(room, os);
    if (!fine) throw new Error('no view');
    expect(checkedGroupView(fine)).toEqual(fine);
  });
});
