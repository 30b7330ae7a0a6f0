/** Records for the history tests (and the crash-test writer). */
import type { ChatMessage } from '../../../shared/events.js';
import type { HistoryRecord } from './types.js';

export const T0 = 1_700_000_000_000;

/** Like the core's order keys; a fractional `i` sorts between its neighbours (a late message). */
export function testOrder(i: number, peer = 'peer1'): string {
  const whole = Math.floor(i);
  return `${String(T0 + whole).padStart(15, '0')}.${String(Math.round((i - whole) * 1000)).padStart(6, '0')}.${peer}`;
}

export function testRecord(i: number, text = `message number ${i}`, peer = 'peer1'): HistoryRecord {
  const order = testOrder(i, peer);
  const message: ChatMessage = {
    kind: 'chat',
    roomId: 'room-1',
    id: `m${i}`,
    text,
    nick: 'alice',
    peerId: peer,
    src: '192.168.1.10:5000',
    ttl: 1,
    seq: i,
    ts: T0 + Math.floor(i),
    receivedAt: T0 + Math.floor(i),
    own: false,
    fragments: 1,
    bytes: 120,
    order,
  };
  return { key: `${peer}/m${i}`, order, message };
}

export function testRecords(from: number, count: number): HistoryRecord[] {
  return Array.from({ length: count }, (_, i) => testRecord(from + i));
}
