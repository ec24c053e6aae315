import type { ComponentChildren } from 'preact';

interface PasswordFieldProps {
  label: string;
  testId: string;
  value: string;
  onValue: (value: string) => void;
  disabled?: boolean;
  /** `new-password` where one is being chosen, `current-password` where one is asked again, `off` for a backup's. */
  autoComplete: 'new-password' | 'current-password' | 'off';
  autoFocus?: boolean;
  hint?: ComponentChildren;
}

/** A labelled password input (onboarding, restore, backup): one look and one behaviour for every secret typed in. */
export function PasswordField({ label, testId, value, onValue, disabled, autoComplete, autoFocus, hint }: PasswordFieldProps) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      <input
        type="password"
        data-testid={testId}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        value={value}
        disabled={disabled}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      {hint === undefined ? null : <span class="field-hint">{hint}</span>}
    </label>
  );
}
