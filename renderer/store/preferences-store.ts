import { create } from 'zustand';
import { applyPreferencesPatch, preferencesPatchSchema, type Preferences, type PreferencesPatch } from '../../shared/preferences.js';
import { invoke } from '../api.js';
import { setPresenter, useInspectorStore } from './inspector-store.js';

/**
 * The preferences as main keeps them in settings.json: main is the one source of truth. Presenter
 * mode is mirrored into the inspector store (which the page reads) and its localStorage cache, so
 * the first paint is already right before main answers.
 */
interface PreferencesState {
  /** As main last answered; null until read, or when reading failed. */
  readonly preferences: Preferences | null;
  readonly loadError: string | null;
}

export const usePreferencesStore = create<PreferencesState>()(() => ({ preferences: null, loadError: null }));

export const usePreferences = (): Preferences | null => usePreferencesStore((s) => s.preferences);

// Counts changes sent: an answer (or a read) older than the newest change must not overwrite it.
let changes = 0;

/** Reads them again: at start, and when Settings opens (the tray menu may have changed close-to-tray). */
export async function loadPreferences(): Promise<void> {
  const changesBefore = changes;
  const result = await invoke((api) => api.getPreferences());
  if (changesBefore !== changes) return;
  if (!result.ok) {
    usePreferencesStore.setState({ loadError: result.error.message });
    return;
  }
  usePreferencesStore.setState({ preferences: result.value, loadError: null });
  if (await carriedOverPresenter(result.value)) return;
  setPresenter(result.value.presenter);
}

// Before main kept preferences, presenter mode lived only in the page's storage. The first read
// after that update finds it on there and off in main: it is carried over once, not lost.
const MIGRATED_KEY = 'mcchat:presenter-in-preferences';

async function carriedOverPresenter(preferences: Preferences): Promise<boolean> {
  let migrated = true;
  try {
    migrated = globalThis.localStorage?.getItem(MIGRATED_KEY) === '1';
    globalThis.localStorage?.setItem(MIGRATED_KEY, '1');
  } catch {
    // No storage: nothing was kept there to carry over.
  }
  if (migrated || preferences.presenter || !useInspectorStore.getState().presenter) return false;
  return (await savePreferences({ presenter: true })) === null;
}

/**
 * Checks the patch with the settings file's own schema, shows it at once, and asks main to save it.
 * Answers null when saved, else the sentence to show (the change is then taken back).
 */
export async function savePreferences(patch: PreferencesPatch): Promise<string | null> {
  const parsed = preferencesPatchSchema.safeParse(patch);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'This setting cannot be used.';
  const before = usePreferencesStore.getState().preferences;
  const presenterBefore = useInspectorStore.getState().presenter;
  // At once, not after the round trip: a switch that lags a click reads as broken.
  if (before) usePreferencesStore.setState({ preferences: applyPreferencesPatch(before, parsed.data) });
  if (parsed.data.presenter !== undefined) setPresenter(parsed.data.presenter);

  const change = ++changes;
  const result = await invoke((api) => api.setPreferences(parsed.data));
  // A newer change is on its way; its answer carries main's whole state, this one included or not.
  if (change !== changes) return result.ok ? null : result.error.message;
  if (!result.ok) {
    usePreferencesStore.setState({ preferences: before });
    setPresenter(presenterBefore);
    return result.error.message;
  }
  usePreferencesStore.setState({ preferences: result.value, loadError: null });
  setPresenter(result.value.presenter);
  return null;
}

/** For tests: nothing read yet. */
export function resetPreferencesStore(): void {
  changes = 0;
  try {
    globalThis.localStorage?.removeItem(MIGRATED_KEY);
  } catch {
    // No storage in this test environment.
  }
  usePreferencesStore.setState({ preferences: null, loadError: null }, true);
}
