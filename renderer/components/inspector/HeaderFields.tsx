import type { WireField } from '../../../shared/wire-story.js';

/** The header's fields in the order they were sent, each with its meaning from the protocol. */
export function HeaderFields({ fields, caption }: { fields: readonly WireField[]; caption: string }) {
  if (fields.length === 0) return null;
  return (
    <table className="wire-fields">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field, i) => (
          <tr key={i}>
            <th scope="row">
              <code>{field.name}</code>
            </th>
            <td>
              <code className="wire-fields__value">{field.value}</code>
              {field.reading !== undefined ? <span className="wire-fields__reading">{field.reading}</span> : null}
            </td>
            <td>{field.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
