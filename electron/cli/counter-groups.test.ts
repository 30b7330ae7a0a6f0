import { describe, expect, it } from 'vitest';
import { COUNTERS } from '../../renderer/lib/counter-groups.js';
import { COUNTER_LABELS } from './output.js';

describe("the window's counter groups", () => {
  it('put each counter in the group `mcchat listen --stats` prints it under', () => {
    for (const [key, [group]] of Object.entries(COUNTERS)) expect(COUNTER_LABELS[key]?.[0], key).toBe(group);
    expect(Object.keys(COUNTERS).sort()).toEqual(Object.keys(COUNTER_LABELS).sort());
  });
});
