import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../../shared/events.js';
import { COUNTERS } from './counter-groups.js';

// That the groups are mcchat's is checked on the Node side (electron/cli/counter-groups.test.ts).
describe('counter groups', () => {
  it('label every counter the core keeps', () => {
    expect(Object.keys(COUNTERS).sort()).toEqual(Object.keys(emptyCounters()).sort());
  });
});
