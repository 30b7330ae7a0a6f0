import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { shortPeerId } from '../lib/format.js';
import { useChatStore } from '../store/store.js';
import { NicknameForm } from './NicknameForm.js';

/** "You are alice" in the header, and the way to change it. */
export function NicknameSetting() {
  const { nickname, peerId, fingerprint } = useChatStore(useShallow((s) => ({ nickname: s.nickname, peerId: s.peerId, fingerprint: s.fingerprint })));
  const [editing, setEditing] = useState(false);

  if (editing) {
    return (
      <div className="nickname-setting">
        <NicknameForm initial={nickname} label="Nickname" submitLabel="Save" autoFocus onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />
      </div>
    );
  }
  return (
    <div className="nickname-setting">
      <span>
        You are <strong>{nickname}</strong>{' '}
        <span className="peer__id" title={`Your peer id ${peerId}`}>
          #{shortPeerId(peerId)}
        </span>
      </span>
      {fingerprint ? (
        <span className="nickname-setting__fingerprint" title="Read it out to people who want to verify you; they see the same in their People list.">
          Your fingerprint: <code>{fingerprint}</code>
        </span>
      ) : null}
      <button type="button" className="button button--quiet nickname-setting__change" onClick={() => setEditing(true)}>
        Change nickname
      </button>
    </div>
  );
}
