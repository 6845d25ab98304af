// A person's name as every path that sets one (registration, account, operator CLI, seeding)
// accepts it: names reach reports, CSV files and the public certificate page.

export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 120;

// Zero-width joiner and non-joiner shape Persian, Arabic and Indic words, so they may stand
// between two letters (or a mark and a letter, as after a virama), and nowhere else.
const JOINER = /[\u200C\u200D]/gu;
const JOINER_IN_WORD = /(?<=[\p{L}\p{M}])[\u200C\u200D](?=\p{L})/gu;
// Controls (NUL, newlines), format characters (direction overrides and marks, zero-width space,
// soft hyphen, BOM), line and paragraph separators, private-use, unpaired surrogates, unassigned.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/u;

/** NFC, trimmed, with each run of spaces (any script's) as one plain space. */
export function normalizeName(raw: string): string {
  return raw.normalize("NFC").replace(/\p{Zs}+/gu, " ").trim();
}

/** Why a normalised name cannot be used, or null. */
export function nameProblem(name: string): string | null {
  if (name.length < NAME_MIN_LENGTH) return "Enter your full name.";
  if (name.length > NAME_MAX_LENGTH) return `Use at most ${NAME_MAX_LENGTH} characters.`;
  const joinersOutsideWords = (name.match(JOINER) ?? []).length - (name.match(JOINER_IN_WORD) ?? []).length;
  if (joinersOutsideWords > 0 || INVISIBLE.test(name.replace(JOINER_IN_WORD, ""))) {
    return "Remove the invisible or control characters (such as direction marks or zero-width spaces) from the name.";
  }
  if (!/\p{L}/u.test(name)) return "A name needs at least one letter.";
  return null;
}
