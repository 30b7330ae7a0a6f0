import { AddRoomPanel } from './components/AddRoomPanel.js';
import { FirstRunPrompt } from './components/FirstRunPrompt.js';
import { GroupPanel } from './components/GroupPanel.js';
import { NicknameSetting } from './components/NicknameSetting.js';
import { NoticeBanners } from './components/NoticeBanners.js';
import { PeersPanel } from './components/PeersPanel.js';
import { RoomList } from './components/RoomList.js';
import { RoomView } from './components/RoomView.js';
import { StatusPanel } from './components/StatusPanel.js';
import { StartupMessage } from './components/StartupMessage.js';
import { useRoomShortcuts } from './hooks/use-room-shortcuts.js';
import { useRoom } from './store/selectors.js';
import { useChatStore } from './store/store.js';

export function App() {
  const phase = useChatStore((s) => s.phase);
  const fatalError = useChatStore((s) => s.fatalError);
  const firstRun = useChatStore((s) => s.firstRun);
  const selectedId = useChatStore((s) => s.selectedRoomId);
  const selected = useRoom(selectedId);
  const appVersion = useChatStore((s) => s.appVersion);
  useRoomShortcuts();

  if (phase === 'connecting') return <StartupMessage title="Starting Multicast Chat…" />;
  if (phase === 'failed') return <StartupMessage title="Multicast Chat could not start" detail={fatalError ?? undefined} />;
  if (firstRun) {
    return (
      <>
        <NoticeBanners />
        <FirstRunPrompt />
      </>
    );
  }

  return (
    <div className="app">
      <a className="skip-link" href="#composer">
        Skip to the message box
      </a>
      <header className="app-header">
        <h1 className="app-header__title">
          Multicast Chat {appVersion ? <span className="app-header__version">{appVersion}</span> : null}
        </h1>
        <NicknameSetting />
      </header>
      <NoticeBanners />
      <div className="app-body">
        <nav className="sidebar" aria-label="Rooms">
          <h2 className="panel__title">Rooms</h2>
          <RoomList />
          <AddRoomPanel />
          <p className="hint sidebar__keys">Alt+↑/↓ or Ctrl+1–9 switch rooms.</p>
        </nav>
        <main className="main" id="main">
          {selected ? (
            <RoomView key={selected.roomId} roomId={selected.roomId} />
          ) : (
            <div className="empty-state">
              <h2>No room open</h2>
              <p>Add a room to start: pick a multicast group and port, and everyone who joins the same pair is in the room.</p>
            </div>
          )}
        </main>
        {selected ? (
          <aside className="details" aria-label="Room details">
            <PeersPanel roomId={selected.roomId} />
            <StatusPanel room={selected} />
            <GroupPanel key={selected.roomId} room={selected} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
