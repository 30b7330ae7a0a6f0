import { describe, expect, it } from 'vitest';
import { describeGroupMac, groupsSharingMac, multicastMac } from './multicast-mac.js';

describe('the Ethernet address of a multicast group', () => {
  it('is 01:00:5e and the low 23 bits of the group', () => {
    expect(multicastMac('224.0.0.1')).toBe('01:00:5e:00:00:01');
    expect(multicastMac('224.0.0.251')).toBe('01:00:5e:00:00:fb');
    expect(multicastMac('239.255.42.99')).toBe('01:00:5e:7f:2a:63');
    expect(multicastMac('239.255.255.250')).toBe('01:00:5e:7f:ff:fa');
    // The top bit of the second octet is one of the five that are dropped.
    expect(multicastMac('224.128.42.99')).toBe('01:00:5e:00:2a:63');
  });

  it('is shared by 32 groups: any first octet 224 to 239, the second with or without its top bit', () => {
    const sharing = groupsSharingMac('239.255.42.99');
    expect(sharing).toHaveLength(32);
    expect(new Set(sharing).size).toBe(32);
    expect(sharing).toContain('239.255.42.99');
    expect(sharing).toContain('239.127.42.99');
    expect(sharing).toContain('224.127.42.99');
    expect(sharing).toContain('224.255.42.99');
    expect(sharing).not.toContain('224.128.42.99');
    for (const group of sharing) expect(multicastMac(group)).toBe('01:00:5e:7f:2a:63');
    expect(groupsSharingMac('224.0.0.1').slice(0, 3)).toEqual(['224.0.0.1', '224.128.0.1', '225.0.0.1']);
  });

  it('names the 31 others and the first two of them, and whether the group is link-local', () => {
    expect(describeGroupMac('239.255.42.99')).toEqual({
      group: '239.255.42.99',
      mac: '01:00:5e:7f:2a:63',
      sharedWith: 31,
      examples: ['224.127.42.99', '224.255.42.99'],
      linkLocal: false,
    });
    expect(describeGroupMac('224.0.0.251')).toMatchObject({ mac: '01:00:5e:00:00:fb', linkLocal: true, examples: ['224.128.0.251', '225.0.0.251'] });
    // 224.0.1.x is the internetwork control block: routed, so not link-local.
    expect(describeGroupMac('224.0.1.1')?.linkLocal).toBe(false);
  });

  it('has no answer for what is not an IPv4 multicast group', () => {
    for (const text of ['192.168.1.10', '240.0.0.1', '239.255.42', 'ff02::1', '']) {
      expect(multicastMac(text)).toBeNull();
      expect(groupsSharingMac(text)).toEqual([]);
      expect(describeGroupMac(text)).toBeNull();
    }
  });
});
