import type { ReactNode } from 'react';
import { focusRoomListSoon, requestComposerFocus } from '../lib/focus-request.js';
import { useChatStore } from '../store/store.js';
import { NicknameForm } from './NicknameForm.js';

/** The chat opens where the user goes on: typing in the open room, or adding one when there is none. */
function afterFirstRun(): void {
  const selected = useChatStore.getState().selectedRoomId;
  requestComposerFocus(selected);
  // Saved rooms join only now that there is a name: the add-room button holds focus until one opens.
  if (!selected) focusRoomListSoon();
}

/** Before the first room: everyone in a room sees this name next to your messages. */
export function FirstRunPrompt({ children }: { children?: ReactNode }) {
  const suggestion = useChatStore((s) => s.nickname);
  return (
    <main className="first-run">
      {children}
      <div className="first-run__card">
        <h1>Welcome to Multicast Chat</h1>
        <p>Chat with everyone on your network who joins the same multicast group: no server, no account.</p>
        <NicknameForm initial={suggestion} label="Choose a nickname" submitLabel="Start chatting" autoFocus onSaved={afterFirstRun} />
        <p className="hint">Everyone in a room sees it next to your messages. You can change it later.</p>
      </div>
    </main>
  );
}
