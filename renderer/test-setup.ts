import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { setApi } from './api.js';
import { resetFocusRequest } from './lib/focus-request.js';
import { resetDrafts } from './store/drafts.js';
import { resetInspectorStore } from './store/inspector-store.js';
import { resetPreferencesStore } from './store/preferences-store.js';
import { resetProbeStore } from './store/probe-store.js';
import { resetStore } from './store/store.js';

// Vitest globals are off, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  resetStore();
  resetInspectorStore();
  resetPreferencesStore();
  resetProbeStore();
  setApi(null);
  resetFocusRequest();
  localStorage.clear();
  resetDrafts();
});
