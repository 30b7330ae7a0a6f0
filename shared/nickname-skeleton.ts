import unhomoglyph from 'unhomoglyph';

/**
 * Default-ignorable code points (UTS #39 removes them before comparing): zero-width joiners and
 * spaces, soft hyphen, word joiner, variation selectors, bidi marks, tag characters. They change
 * nothing on screen, so "bob" and "bo\u200db" are one name to a reader.
 */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * What a nickname looks like, for telling whether two nicknames can pass for each other: NFKC
 * (fullwidth letters, ligatures), lower case, invisible characters removed, then the Unicode
 * confusables skeleton (UTS #39, from `unhomoglyph`'s copy of confusables.txt): Cyrillic "а",
 * Greek "ο" and Latin "a", "o" fall together, and so do "rn" and "m". Not for display.
 */
export function nicknameSkeleton(nick: string): string {
  return skeleton(nick.normalize('NFKC').toLowerCase());
}

/**
 * The skeletons a nickname can be confused by: lower-cased first ("ALICE" is "alice"), and as
 * typed (a capital I passes for a small L: "aIice" is "alice" too). Two nicknames can pass
 * for each other when they share one.
 */
export function nicknameSkeletons(nick: string): string[] {
  const folded = nicknameSkeleton(nick);
  const asTyped = skeleton(nick.normalize('NFKC')).toLowerCase();
  return asTyped === folded ? [folded] : [folded, asTyped];
}

function skeleton(text: string): string {
  const visible = text.replace(DEFAULT_IGNORABLE, '').trim();
  return unhomoglyph(visible.normalize('NFD')).normalize('NFD').toLowerCase();
}
