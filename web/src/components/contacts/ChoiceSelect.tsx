// A labelled <select> over a fixed list of choices, each shown by its catalogue label.
interface Props<T extends string> {
  label: string;
  value: T;
  choices: readonly T[];
  labelOf: (choice: T) => string;
  onChange: (choice: T) => void;
  testId: string;
}

export function ChoiceSelect<T extends string>(p: Props<T>) {
  return (
    <select
      aria-label={p.label}
      value={p.value}
      onChange={(e) => p.onChange(e.currentTarget.value as T)}
      data-testid={p.testId}
    >
      {p.choices.map((c) => (
        <option value={c}>{p.labelOf(c)}</option>
      ))}
    </select>
  );
}
