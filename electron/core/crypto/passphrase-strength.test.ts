import { describe, expect, it } from 'vitest';
import { passphraseStrength } from './room-key.js';

const reasonOf = (p: string) => passphraseStrength(p).reason ?? '';

describe('passphrase strength', () => {
  it('accepts long phrases and mixed passphrases', () => {
    for (const good of ['purple tractor sings at dawn', 'Kx7!pQ2#vL9m', 'maple-river-cobalt-lantern', 'Grüne Wiese am Fluss 7']) {
      expect(passphraseStrength(good)).toEqual({ weak: false, reason: null });
    }
  });

  it('flags short ones, counting characters not UTF-16 units', () => {
    expect(reasonOf('')).toMatch(/^Empty/);
    expect(reasonOf('Kx7!pQ2#vL9')).toBe('Shorter than 12 characters: anyone on the network who captures a message can try guesses offline.');
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(reasonOf('🐱🐶🐭🐹🐰🦊🐻🐼🐨🐯🦁')).toMatch(/^Shorter than 12/);
  });

  it('flags the most common passwords, padded or not', () => {
    for (const common of ['password1234', 'Password123!', 'P@ssw0rd2024', 'correct horse battery staple', 'letmeinplease', 'qwertyuiop123', 'Multicast Chat 1']) {
      expect(reasonOf(common), common).toMatch(/^One of the most common/);
    }
  });

  it('flags repeated and sequential patterns', () => {
    for (const pattern of ['aaaaaaaaaaaaaaaaaaaaaaaa', 'abcabcabcabcabc', 'Ab1!Ab1!Ab1!Ab1!', 'abcdefghijklmnop', '12345678901234567890', '9876543210987', 'qwertyuiopasdf', '1q2w3e4r5t6y7u']) {
      expect(reasonOf(pattern), pattern).toMatch(/^A repeated or sequential pattern/);
    }
  });

  it('flags one character class under 20 characters', () => {
    expect(reasonOf('purpletractorsings')).toMatch(/^Only one kind of character/);
    expect(reasonOf('739164028573')).toMatch(/^Only one kind of character/);
    expect(passphraseStrength('purpletractorsingsatdawn').weak).toBe(false);
  });

  it('gives one sentence for every weak passphrase', () => {
    for (const p of ['', 'short', 'password1234', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'purpletractorsings']) {
      const { weak, reason } = passphraseStrength(p);
      expect(weak).toBe(true);
      expect(reason).toMatch(/^[A-Z][^\n]*\.$/);
    }
  });
});
