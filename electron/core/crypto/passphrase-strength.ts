/**
 * A warning for passphrases that fall to an offline guessing attack. Anyone on the LAN can
 * capture one sealed datagram and then try guesses at their own pace, limited only by scrypt's
 * cost, so a passphrase must be long and not one of the first things a guessing tool tries.
 * This is a heuristic that flags the obvious; it never blocks, and it does not prove strength.
 */

export interface PassphraseStrength {
  readonly weak: boolean;
  /** One readable sentence saying why it is weak; null when it is not. */
  readonly reason: string | null;
}

export const MIN_PASSPHRASE_CHARS = 12;
/** A passphrase of one character class (all lowercase, say) needs this many characters. */
export const MIN_SINGLE_CLASS_CHARS = 20;

const REASONS = {
  empty: 'Empty: there is nothing to guess.',
  short: `Shorter than ${MIN_PASSPHRASE_CHARS} characters: anyone on the network who captures a message can try guesses offline.`,
  common: 'One of the most common passwords or phrases: it is among the first guesses anyone tries.',
  pattern: 'A repeated or sequential pattern: guessing tools try these first.',
  oneClass: `Only one kind of character and shorter than ${MIN_SINGLE_CLASS_CHARS}: make it longer, or mix in capitals, digits or symbols.`,
} as const;

// Compared after lowercasing and dropping spaces and punctuation, with and without trailing
// digits and symbols, and with look-alike substitutions undone (see isCommon). Short entries
// matter too: length alone already flags them, but they catch the padded forms.
const COMMON = new Set([
  'password', 'passw0rd', 'p4ssw0rd', 'passwort', 'motdepasse', 'contraseña', 'wachtwoord',
  'letmein', 'letmeinplease', 'welcome', 'welcometo', 'iloveyou', 'trustno1', 'changeme',
  'secret', 'topsecret', 'supersecret', 'mysecret', 'admin', 'administrator', 'root',
  'qwerty', 'qwertz', 'azerty', 'qwertyuiop', 'asdfghjkl', 'abc', 'abc123', 'abcdef',
  'football', 'baseball', 'soccer', 'dragon', 'monkey', 'sunshine', 'princess', 'master',
  'shadow', 'superman', 'batman', 'starwars', 'pokemon', 'whatever', 'hello', 'helloworld',
  'freedom', 'opensesame', 'correcthorsebatterystaple', 'thequickbrownfoxjumpsoverthelazydog',
  'multicast', 'multicastchat', 'chat', 'chatroom', 'lobby', 'classroom', 'network', 'test',
]);

// A passphrase that is a stretch of one of these (either direction) is a "sequence".
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
];

export function passphraseStrength(passphrase: string): PassphraseStrength {
  const text = passphrase.normalize('NFC');
  const chars = [...text]; // code points, not UTF-16 units: "ü" is one character
  if (chars.length === 0) return weak('empty');
  if (chars.length < MIN_PASSPHRASE_CHARS) return weak('short');
  const lower = text.toLowerCase();
  const folded = fold(lower);
  if (isCommon(lower)) return weak('common');
  if (isPattern(lower) || (folded.length >= 4 && isPattern(folded))) return weak('pattern');
  if (classCount(text) === 1 && chars.length < MIN_SINGLE_CLASS_CHARS) return weak('oneClass');
  return { weak: false, reason: null };
}

/** Letters and digits only: "Correct Horse-Battery" and "correcthorsebattery" are one guess. */
function fold(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, '');
}

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', '5': 's', $: 's', '7': 't' };

/** In the list as it is, without trailing digits and symbols ("Password123!"), or un-leeted ("P@ssw0rd"). */
function isCommon(lower: string): boolean {
  const base = lower.replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
  const unleet = (t: string) => t.replace(/[@4013!5$7]/g, (c) => LEET[c] ?? c);
  return [lower, base, unleet(lower), unleet(base)].some((candidate) => COMMON.has(fold(candidate)));
}

function weak(reason: keyof typeof REASONS): PassphraseStrength {
  return { weak: true, reason: REASONS[reason] };
}

/** Repeats a shorter unit ("abcabcabcabc", "aaaa…") or walks a sequence ("abcdef…", "987654…", "qwerty…"). */
function isPattern(text: string): boolean {
  const chars = [...text];
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((c, i) => i < period || c === chars[i - period])) return true;
  }
  return SEQUENCES.some((seq) => {
    // Doubled so a run may wrap around ("7890123…").
    const forward = seq + seq;
    const backward = [...forward].reverse().join('');
    return forward.includes(text) || backward.includes(text);
  });
}

function classCount(text: string): number {
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{Ll}\p{Lu}\p{N}]/u];
  return classes.filter((re) => re.test(text)).length;
}
