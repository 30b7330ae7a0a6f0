import { AddRoomPanel } from './components/AddRoomPanel.js';
import { FirstRunPrompt } from './components/FirstRunPrompt.js';
import { GroupPanel } from './components/GroupPanel.js';
import { LeaveUndo } from './components/LeaveUndo.js';
import { MeterPanel } from './components/MeterPanel.js';
import { LatestWire } from './components/inspector/LatestWire.js';
import { MessageInspector } from './components/inspector/MessageInspector.js';
import { NicknameSetting } from './components/NicknameSetting.js';
import { NoticeBanners } from './components/NoticeBanners.js';
import { PeersPanel } from './components/PeersPanel.js';
import { PresenterSwitch } from './components/PresenterSwitch.js';
import { ReachPanel } from './components/ReachPanel.js';
import { RoomList } from './components/RoomList.js';
import { RoomView } from './components/RoomView.js';
import { SettingsButton } from './components/settings/SettingsButton.js';
import { StatusPanel } from './components/StatusPanel.js';
import { StartupMessage } from './components/StartupMessage.js';
import { TrafficPanel } from './components/TrafficPanel.js';
import { useRoomShortcuts } from './hooks/use-room-shortcuts.js';
import { useWindowFocus, useWindowTitle } from './hooks/use-window-title.js';
import { useInspected, usePresenter } from './store/inspector-store.js';
import { useRoom } from './store/selectors.js';
import { useChatStore } from './store/store.js';

export function App() {
  const phase = useChatStore((s) => s.phase);
  const fatalError = useChatStore((s) => s.fatalError);
  const firstRun = useChatStore((s) => s.firstRun);
  const selectedId = useChatStore((s) => s.selectedRoomId);
  const selected = useRoom(selectedId);
  const appVersion = useChatStore((s) => s.appVersion);
  const inspected = useInspected(selectedId);
  const presenter = usePresenter();
  useRoomShortcuts();
  useWindowTitle();
  useWindowFocus();

  if (phase === 'connecting') return <StartupMessage title="Starting Multicast Chat…" />;
  if (phase === 'failed') return <StartupMessage title="Multicast Chat could not start" detail={fatalError ?? undefined} />;
  if (firstRun) {
    return (
      <FirstRunPrompt>
        <NoticeBanners />
      </FirstRunPrompt>
    );
  }

  return (
    <div className={`app${presenter ? ' app--presenter' : ''}`}>
      {/* With no room open there is no message box: the link goes to what is there instead. */}
      <a className="skip-link" href={selected ? '#composer' : '#main'}>
        {selected ? 'Skip to the message box' : 'Skip to the main content'}
      </a>
      <header className="app-header">
        <h1 className="app-header__title">
          Multicast Chat {appVersion ? <span className="app-header__version">{appVersion}</span> : null}
        </h1>
        <PresenterSwitch />
        <SettingsButton />
        <NicknameSetting />
        <NoticeBanners />
      </header>
      <div className={`app-body${selected && (inspected || presenter) ? ' app-body--wire' : ''}`}>
        <nav className="sidebar" aria-label="Rooms">
          <h2 className="panel__title">Rooms</h2>
          <RoomList />
          <LeaveUndo />
          <AddRoomPanel />
          <p className="hint sidebar__keys">Alt+↑/↓ or Ctrl+1–9 switch rooms. In the log, ↑/↓ pick a message and Enter shows its wire story.</p>
        </nav>
        <main className="main" id="main" tabIndex={-1}>
          {selected ? (
            <RoomView key={selected.roomId} roomId={selected.roomId} />
          ) : (
            <div className="empty-state">
              <h2>No room open</h2>
              <p>Add a room to start (+ Add a room, under the room list): pick a multicast group and port, and everyone who joins the same pair is in the room.</p>
            </div>
          )}
        </main>
        {selected && inspected ? (
          <MessageInspector message={inspected} room={selected} compact={presenter} />
        ) : selected && presenter ? (
          <LatestWire key={selected.roomId} room={selected} />
        ) : selected ? (
          <aside className="details" aria-label="Room details">
            <PeersPanel roomId={selected.roomId} />
            <MeterPanel roomId={selected.roomId} />
            <StatusPanel room={selected} />
            <ReachPanel key={`reach-${selected.roomId}`} room={selected} />
            <TrafficPanel roomId={selected.roomId} />
            <GroupPanel key={`group-${selected.roomId}`} room={selected} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
