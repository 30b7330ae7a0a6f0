import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import type { McchatApi } from '../shared/ipc/contract.js';
import { findPreloadApi } from './api.js';
import { App } from './App.js';
import { StartupMessage } from './components/StartupMessage.js';
import { connect } from './connect.js';
import { addNotice, failStartup } from './store/actions.js';
import './styles.css';
import './inspector.css';
import './presenter.css';
import './dialogs.css';
import './log-density.css';
import './settings.css';
import './short-window.css';

// zod probes for eval support with new Function(); the page's CSP forbids eval, so skip the probe.
z.config({ jitless: true });

async function resolveApi(): Promise<McchatApi | null> {
  const preload = findPreloadApi();
  if (preload) return preload;
  // Only a build made with VITE_MCCHAT_DEMO=1 contains the fake; everywhere else the check folds
  // to false and the import is dropped, so a broken preload shows an error, never pretend rooms.
  if (import.meta.env.VITE_MCCHAT_DEMO === '1') {
    const { startDemo } = await import('./demo.js');
    return startDemo(new URLSearchParams(window.location.search));
  }
  return null;
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
const root = createRoot(container);

void resolveApi().then((api) => {
  if (!api) {
    root.render(
      <StartupMessage
        title="Multicast Chat could not start"
        detail="This window has no connection to the app (window.mcchat is missing). Open Multicast Chat from its own launcher rather than in a web browser; if you did, reinstall it."
      />,
    );
    return;
  }
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  connect(api).catch((error: unknown) => {
    failStartup(`Multicast Chat could not read its state: ${error instanceof Error ? error.message : String(error)}`);
    addNotice('error', 'Restart Multicast Chat. If this keeps happening, start it from a terminal to see what the background process reports.');
  });
});
