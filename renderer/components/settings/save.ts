import type { PreferencesPatch } from '../../../shared/preferences.js';

/** Saves one change at once; `what` names it in the error ("The theme was not saved: …"). */
export type SavePreference = (what: string, patch: PreferencesPatch) => void;
