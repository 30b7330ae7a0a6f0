import { useId } from 'react';

export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  /** One sentence under the choice, read out with it. */
  readonly description?: string;
}

interface Props<T extends string> {
  readonly legend: string;
  readonly value: T;
  readonly choices: readonly Choice<T>[];
  readonly onChange: (value: T) => void;
}

/** Radio buttons under one legend: arrow keys move between them, as a screen reader user expects. */
export function ChoiceGroup<T extends string>({ legend, value, choices, onChange }: Props<T>) {
  const id = useId();
  return (
    <fieldset className="settings__choices">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <div key={choice.value} className="settings__choice">
          <label className="checkbox">
            <input
              type="radio"
              name={id}
              value={choice.value}
              checked={value === choice.value}
              aria-describedby={choice.description ? `${id}-${choice.value}` : undefined}
              onChange={() => onChange(choice.value)}
            />
            {choice.label}
          </label>
          {choice.description ? (
            <p id={`${id}-${choice.value}`} className="hint settings__description">
              {choice.description}
            </p>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}
