import type { WireFact } from '../../lib/wire-facts.js';

/** Source, interface, group, TTL, size and sequence number as a list of terms. */
export function WireFacts({ facts }: { facts: readonly WireFact[] }) {
  return (
    <dl className="wire-facts">
      {facts.map((fact) => (
        <div key={fact.label} className="wire-facts__item" title={fact.title}>
          <dt>{fact.label}</dt>
          <dd>{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
