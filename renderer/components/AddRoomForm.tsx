import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import type { ChatErrorInfo, ChatWarning } from '../../shared/errors.js';
import { DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL } from '../../shared/protocol/constants.js';
import type { CommandArg } from '../../shared/ipc/contract.js';
import { groupSchema, groupWarnings, passphraseSchema, roomConfigSchema } from '../../shared/room-config.js';
import { describeTtl } from '../../shared/ttl-scopes.js';
import { invoke } from '../api.js';
import { useRoomCheck } from '../hooks/use-room-check.js';
import { requestComposerFocus } from '../lib/focus-request.js';
import { pinnedText } from '../lib/iface.js';
import { selectRoom, upsertRoom } from '../store/actions.js';
import { useChatStore, type ChatState } from '../store/store.js';
import { Field } from './Field.js';
import { PassphraseField } from './PassphraseField.js';

type FieldName = 'name' | 'group' | 'port' | 'ttl' | 'iface' | 'passphrase';
const FIELDS: readonly FieldName[] = ['name', 'group', 'port', 'ttl', 'iface', 'passphrase'];
type RoomRequest = CommandArg<'joinRoom'>;
type FieldErrors = Partial<Record<FieldName, string>>;

interface Values {
  name: string;
  group: string;
  port: string;
  ttl: string;
  iface: string;
  passphrase: string;
  loopback: boolean;
}

const DEFAULTS: Values = { name: '', group: DEFAULT_GROUP, port: String(DEFAULT_PORT), ttl: String(DEFAULT_TTL), iface: '', passphrase: '', loopback: true };

/**
 * The group the form offers: the default one, or, when a room on it and the default port is
 * already joined, the next address up (239.255.42.100, .101, …) that is free, so Join with what
 * is filled in just works. A string, so the store selector gives the same value while it holds.
 */
export function freeGroup(state: Pick<ChatState, 'rooms'>): string {
  const taken = new Set(Object.values(state.rooms).map((r) => `${r.snapshot.group}:${r.snapshot.port}`));
  const start = DEFAULT_GROUP.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const last = 0xefffffff; // 239.255.255.255, the end of the administratively scoped block.
  for (let n = start; n <= last; n++) {
    const group = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    if (!taken.has(`${group}:${DEFAULT_PORT}`)) return group;
  }
  return DEFAULT_GROUP;
}
const GROUP_WARNINGS = new Set<ChatWarning['code']>(['LINK_LOCAL_GROUP', 'SNOOPING_FLOOD', 'NOT_ADMIN_SCOPED']);
const PASSPHRASE_WARNINGS = new Set<ChatWarning['code']>(['WEAK_PASSPHRASE']);

// An empty box is "not a number", not port 0.
const toNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function toInput(values: Values): RoomRequest {
  // Taken as typed (spaces count); an empty box means a plain room.
  const passphrase = values.passphrase === '' ? {} : { passphrase: values.passphrase };
  return {
    ...passphrase,
    name: values.name.trim() || undefined,
    group: values.group.trim(),
    port: toNumber(values.port),
    ttl: toNumber(values.ttl),
    iface: values.iface || undefined,
    loopback: values.loopback,
  };
}

function schemaErrors(input: RoomRequest): FieldErrors {
  const errors: FieldErrors = {};
  if (input.passphrase !== undefined) {
    const secret = passphraseSchema.safeParse(input.passphrase);
    if (!secret.success) errors.passphrase = secret.error.issues[0]?.message ?? 'This passphrase cannot be used.';
  }
  const parsed = roomConfigSchema.safeParse(input);
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && (FIELDS as readonly string[]).includes(field)) errors[field as FieldName] ??= issue.message;
  }
  return errors;
}

const isFieldName = (field: ChatErrorInfo['field']): field is FieldName & ChatErrorInfo['field'] => (FIELDS as readonly (string | undefined)[]).includes(field);

/** Join a new room. Errors appear under the field they are about; warnings advise but never block. */
export function AddRoomForm({ onJoined }: { onJoined?: () => void }) {
  const ids = useId();
  const interfaces = useChatStore((s) => s.interfaces);
  const pinnedIface = useChatStore((s) => s.pinnedIface);
  const suggestedGroup = useChatStore(freeGroup);
  const [typed, setValues] = useState<Values>(DEFAULTS);
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [joinError, setJoinError] = useState<{ key: string; error: ChatErrorInfo } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  // Until the user edits the group or the port, the group shown is the first free one, and follows
  // rooms joined meanwhile (elsewhere, or the one just joined here).
  const endpointChosen = touched.has('group') || touched.has('port');
  const values = useMemo(() => (endpointChosen ? typed : { ...typed, group: suggestedGroup }), [endpointChosen, typed, suggestedGroup]);

  const input = useMemo(() => toInput(values), [values]);
  const inputKey = JSON.stringify(input);
  const localErrors = useMemo(() => schemaErrors(input), [input]);
  const locallyValid = Object.keys(localErrors).length === 0;
  const check = useRoomCheck(locallyValid ? input : null);

  // A failed join is about the values it was tried with; editing them clears it.
  const serverError = joinError?.key === inputKey ? joinError.error : check?.error ?? null;
  const errorFor = (field: FieldName): string | null => {
    if (serverError && serverError.field === field) return serverError.message;
    return touched.has(field) || submitted ? (localErrors[field] ?? null) : null;
  };
  const formError = serverError && !isFieldName(serverError.field) ? serverError.message : null;

  const warnings = useMemo(() => {
    const fromMain = check?.warnings ?? [];
    const ttl = toNumber(values.ttl);
    const local = groupSchema.safeParse(values.group).success ? groupWarnings(values.group.trim(), Number.isFinite(ttl) ? ttl : DEFAULT_TTL) : [];
    const seen = new Set<string>();
    return [...local, ...fromMain].filter((w) => {
      if (seen.has(w.message)) return false;
      seen.add(w.message);
      return true;
    });
  }, [check, values.group, values.ttl]);
  const groupAdvice = warnings.filter((w) => GROUP_WARNINGS.has(w.code)).map((w) => w.message);
  const passphraseAdvice = values.passphrase === '' ? [] : warnings.filter((w) => PASSPHRASE_WARNINGS.has(w.code)).map((w) => w.message);
  const otherAdvice = warnings.filter((w) => !GROUP_WARNINGS.has(w.code) && !PASSPHRASE_WARNINGS.has(w.code)).map((w) => w.message);

  const set = (field: keyof Values) => (value: string | boolean) => {
    // Editing the group or the port keeps the offered group as the starting point.
    const base = endpointChosen || (field !== 'group' && field !== 'port') ? null : suggestedGroup;
    setValues((v) => ({ ...v, ...(base === null ? {} : { group: base }), [field]: value }));
    if (field !== 'loopback') setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  };

  const id = (field: FieldName) => fieldId(ids, field);
  /** False when that control cannot take focus (the interface list is disabled while an interface is pinned). */
  function focusField(field: FieldName): boolean {
    const control = formRef.current?.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id(field)}`);
    if (!control || control.disabled) return false;
    control.focus();
    return document.activeElement === control;
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!locallyValid) {
      const first = FIELDS.find((f) => localErrors[f]);
      if (first) focusField(first);
      return;
    }
    setBusy(true);
    const result = await invoke((api) => api.joinRoom(input));
    if (!result.ok) {
      // On screen first (Join enabled again, the message under its field), then focus goes to the field the
      // refusal is about and a screen reader reads the message with it; with no field, back to Join, the alert says why.
      const error = result.error;
      flushSync(() => {
        setBusy(false);
        setJoinError({ key: inputKey, error });
      });
      const field = result.error.field;
      if (!(isFieldName(field) && focusField(field))) submitRef.current?.focus();
      return;
    }
    setBusy(false);
    upsertRoom(result.value);
    selectRoom(result.value.roomId);
    requestComposerFocus(result.value.roomId);
    setValues(DEFAULTS);
    setTouched(new Set());
    setSubmitted(false);
    setJoinError(null);
    onJoined?.();
  };

  const ttlNumber = toNumber(values.ttl);

  return (
    <form ref={formRef} className="add-room" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Add a room">
      <Field id={id('name')} label="Name (optional)" hint="Only for you; others see the group and port." error={errorFor('name')}>
        {(control) => <input {...control} type="text" value={values.name} onChange={(e) => set('name')(e.target.value)} placeholder={`${values.group}:${values.port}`} maxLength={80} />}
      </Field>
      <Field id={id('group')} label="Multicast group" hint="239.x.y.z is meant for private use." error={errorFor('group')} warnings={groupAdvice}>
        {(control) => <input {...control} type="text" inputMode="decimal" spellCheck={false} value={values.group} onChange={(e) => set('group')(e.target.value)} />}
      </Field>
      {/* Two short numbers side by side: the dialog fits a 720 px window. */}
      <div className="add-room__row">
        <Field id={id('port')} label="Port" error={errorFor('port')}>
          {(control) => <input {...control} className="input--narrow" type="text" inputMode="numeric" value={values.port} onChange={(e) => set('port')(e.target.value)} />}
        </Field>
        <Field
          id={id('ttl')}
          label="TTL"
          hint={Number.isInteger(ttlNumber) && ttlNumber >= 0 && ttlNumber <= 255 ? describeTtl(ttlNumber, values.group.trim()) : 'How many routers a message may cross: 0 to 255.'}
          error={errorFor('ttl')}
        >
          {(control) => <input {...control} className="input--narrow" type="text" inputMode="numeric" value={values.ttl} onChange={(e) => set('ttl')(e.target.value)} />}
        </Field>
      </div>
      <Field
        id={id('iface')}
        label="Interface"
        hint={pinnedIface ? `${pinnedText(pinnedIface)}: every room uses it.` : 'Which network card joins the group.'}
        error={errorFor('iface')}
      >
        {(control) => (
          // Pinned, any other choice would be refused: offer none.
          <select {...control} value={values.iface} onChange={(e) => set('iface')(e.target.value)} disabled={pinnedIface !== null}>
            <option value="">{pinnedIface ?? 'Every suitable interface'}</option>
            {(pinnedIface ? [] : interfaces).map((i) => (
              <option key={`${i.name}-${i.address}`} value={i.address}>
                {i.name} – {i.address}
              </option>
            ))}
          </select>
        )}
      </Field>
      <PassphraseField id={id('passphrase')} value={values.passphrase} onChange={set('passphrase')} error={errorFor('passphrase')} warnings={passphraseAdvice} />
      <label className="checkbox">
        <input type="checkbox" checked={values.loopback} onChange={(e) => set('loopback')(e.target.checked)} />
        Loopback: other copies of the app on this computer hear me
      </label>
      {otherAdvice.length > 0 ? (
        <ul className="field__warnings">
          {otherAdvice.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {formError ? (
        <p className="field__error" role="alert">
          {formError}
        </p>
      ) : null}
      {/* In a dialog, the action bar stays in view while the fields scroll under it. */}
      <div className="dialog__actions add-room__actions">
        <button ref={submitRef} type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Joining…' : 'Join room'}
        </button>
      </div>
    </form>
  );
}

// useId() returns ":r1:"-style ids that querySelector cannot take as "#..." without escaping.
function fieldId(base: string, field: FieldName): string {
  return `add-room-${base.replace(/[^a-zA-Z0-9_-]/g, '')}-${field}`;
}
