import type { RoomSnapshot } from '../../shared/events.js';
import type { GroupView } from '../../shared/group-view.js';
import { useGroupView } from '../hooks/use-group-view.js';

function sharedText(view: GroupView): string {
  const examples = view.examples.length > 0 ? ` (${view.examples.join(', ')}, …)` : '';
  return `Shared with ${view.sharedWith} other groups${examples}: a network card lets them all in, the OS sorts them out.`;
}

function linkLocalText(view: GroupView): string {
  return view.linkLocal ? 'Yes (224.0.0.x): routers never forward it, whatever the TTL.' : 'No: routers may forward it, as far as the TTL allows.';
}

function OsMemberships({ view }: { view: GroupView }) {
  const os = view.os;
  if (!os.available) return <>not available: {os.reason}</>;
  return (
    <>
      {os.holders.length > 0 ? os.holders.join(', ') : 'no interface'}
      {os.missing.length > 0 ? <span className="group-facts__missing"> · not on {os.missing.join(', ')}, where this room joined</span> : null}{' '}
      <span className="hint">(from {os.source})</span>
    </>
  );
}

/** The open room's group on the wire and in the operating system: what IGMP and Ethernet see. */
export function GroupPanel({ room }: { room: RoomSnapshot }) {
  const { state, recheck } = useGroupView(room);
  return (
    <section className="panel" aria-labelledby="group-heading">
      <h2 id="group-heading" className="panel__title">
        Group on the wire
      </h2>
      {state?.view ? (
        <dl className="group-facts">
          <dt>Group</dt>
          <dd>
            <code>{state.view.group}</code>
          </dd>
          <dt>Ethernet address</dt>
          <dd>
            <code>{state.view.mac}</code> <span className="hint">01:00:5e + the low 23 bits of the group</span>
          </dd>
          <dd className="group-facts__note">{sharedText(state.view)}</dd>
          <dt>Link-local</dt>
          <dd>{linkLocalText(state.view)}</dd>
          <dt>The OS holds it on</dt>
          <dd>
            <OsMemberships view={state.view} />
          </dd>
        </dl>
      ) : state?.error ? (
        <p className="field__error">{state.error.message}</p>
      ) : (
        <p className="hint">Asking the system…</p>
      )}
      <button type="button" className="button button--quiet" onClick={recheck}>
        Check again
      </button>
    </section>
  );
}
