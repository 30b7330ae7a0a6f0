import { useId, useState } from 'react';
import type { PeerInfo } from '../../shared/events.js';
import { invoke } from '../api.js';
import { shortPeerId } from '../lib/format.js';
import { addNotice } from '../store/actions.js';

/**
 * One person in the room on one line: who they say they are and what stands out (verified,
 * flooding, a borrowed nickname). The key that proves it, verifying it, and where they are heard
 * are behind "Details", one click away.
 */
export function PeerItem({ peer }: { peer: PeerInfo }) {
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  // The core answers with a peer-updated event; the button only waits for the command.
  const toggleVerified = async () => {
    setBusy(true);
    const result = await invoke((api) => api.setPeerVerified({ peerId: peer.peerId, verified: !peer.verified }));
    setBusy(false);
    if (!result.ok) addNotice('error', result.error.message);
  };
  const classes = ['peer', peer.flooding ? 'peer--flooding' : '', peer.impersonates !== null ? 'peer--impostor' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes}>
      <span className="peer__nick">{peer.nick}</span>{' '}
      <span className="peer__id" title={`Peer id ${peer.peerId}`}>
        #{shortPeerId(peer.peerId)}
      </span>
      {peer.verified ? (
        <span className="peer__verified" title="You compared this fingerprint with them and marked it verified.">
          <span aria-hidden="true">{'\u2713'}</span> verified
        </span>
      ) : null}
      {peer.flooding ? (
        // Icon and word, so neither colour nor the symbol alone carries the meaning.
        <span className="peer__flag" title="Sends faster than the room's limit: what is over it is dropped.">
          <span aria-hidden="true">{'\u26a0\ufe0e'}</span> flooding
          <span className="visually-hidden">: sends faster than the room's limit, and what is over it is dropped</span>
        </span>
      ) : null}
      {peer.impersonates !== null ? (
        <span className="peer__impostor" role="note">
          <span aria-hidden="true">{'\u26a0\ufe0e'}</span> Uses a nickname first seen with another key — maybe not who they say.
        </span>
      ) : null}
      <button type="button" className="button button--quiet peer__more" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)} aria-label={`Details: ${peer.nick}`}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span>
      </button>
      {open ? (
        <div id={detailsId} className="peer__details">
          <span className="peer__fingerprint">
            <span className="peer__label">Fingerprint</span> <code>{peer.fingerprint}</code>
          </span>
          <button type="button" className="button button--quiet peer__verify" onClick={() => void toggleVerified()} disabled={busy} aria-label={`${peer.verified ? 'Unverify' : 'Mark verified'}: ${peer.nick}`}>
            {peer.verified ? 'Unverify' : 'Mark verified'}
          </button>
          <span className="peer__detail">{peer.addresses.join(', ') || 'no address yet'}</span>
          <span className="peer__detail">{peer.app ?? 'app not announced yet'}</span>
        </div>
      ) : null}
    </li>
  );
}
