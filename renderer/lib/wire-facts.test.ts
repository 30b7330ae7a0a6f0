import { describe, expect, it } from 'vitest';
import { message, room } from '../test-helpers.js';
import { inspectorTitle, journey, summaryFacts } from './wire-facts.js';

const plain = { presenter: false, ownFingerprint: 'f00d face cafe 0001', wireKeyId: null };

describe('wire facts', () => {
  it('says how a message came: live, repaired, late, history, from the saved history', () => {
    const via = (m: Parameters<typeof journey>[0]) => journey(m, room(), plain)[0];
    expect(via(message({ via: 'live' }))).toBe('Came live: it arrived as it was sent.');
    expect(via(message({ via: 'repair' }))).toMatch(/^Repaired: .* after a NACK/);
    expect(via(message({ via: 'late' }))).toBe('Late: given up as lost, then it arrived after all.');
    expect(via(message({ via: 'history' }))).toMatch(/^History: from before you joined/);
    expect(journey(message({ via: 'live', history: true }), room(), plain)).toContain("From this computer's saved history.");
    expect(journey(message({ via: 'history', history: true }), room(), plain)).not.toContain("From this computer's saved history.");
  });

  it('names the checks passed, with the key in a normal window and without it on a projector', () => {
    const sealed = room({ encrypted: true, keyId: 'f4340eeb' });
    const m = message({ peerId: 'fe812c12f3ab4ce6', fragments: 3, clockAheadMs: 3_600_000 });
    expect(journey(m, sealed, plain)).toEqual(['Signature verified: key fe81 2c12 f3ab 4ce6.', 'Decrypted with key f4340eeb.', 'Reassembled from 3 fragments.', "The sender's clock is 60 min ahead: shown where it arrived."]);
    expect(journey(m, sealed, { ...plain, presenter: true }).slice(0, 2)).toEqual(['Signature verified.', 'Decrypted with the room key.']);
    // The key id read on the wire wins over the room's (they agree unless the passphrase changed).
    expect(journey(m, sealed, { ...plain, wireKeyId: '0badc0de' })[1]).toBe('Decrypted with key 0badc0de.');
    const own = message({ own: true });
    expect(journey(own, sealed, plain)).toEqual(['Sent by you.', 'Signed with your key f00d face cafe 0001.', "Encrypted with key f4340eeb (the room's passphrase)."]);
    expect(journey(message({ kind: 'raw', peerId: null, nick: null, ttl: null, seq: null }), room(), plain)).toEqual([
      'Raw datagram: no marker, no header, no signature. Shown as text, unchecked, with its source address.',
    ]);
  });

  it('facts: TTL and scope, sizes, an interface by name and address, and what a raw datagram cannot say', () => {
    const facts = (m: Parameters<typeof summaryFacts>[0]) => Object.fromEntries(summaryFacts(m, room()).map((f) => [f.label, f.value]));
    expect(facts(message({ ttl: 32, fragments: 2, bytes: 2_400, iface: 'eth0', seq: 7 }))).toMatchObject({
      From: '192.168.1.20:4242',
      'Arrived on': 'eth0 (192.168.1.10)',
      'To group': '239.255.42.99:4242',
      TTL: '32 · site',
      'On the wire': '2 datagrams, 2,400 bytes',
      'Sequence number': '7',
    });
    expect(facts(message({ ttl: 5, iface: 'wlan\u202e0' }))).toMatchObject({ TTL: '5 · custom', 'Arrived on': 'wlan\\u202e0' });
    expect(facts(message({ kind: 'raw', ttl: null, seq: null, bytes: 15 }))).toMatchObject({ TTL: 'not known', 'On the wire': '15 bytes, one datagram', 'Sequence number': 'none (raw)', 'Arrived on': 'not known' });
    expect(inspectorTitle(message({ kind: 'raw', src: '10.0.0.5:5000' }))).toBe('Raw datagram from 10.0.0.5:5000');
  });
});
