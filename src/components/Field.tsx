// A labelled form field: label above, hint and error below, wired with aria-describedby/aria-invalid.
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

export function Field({
  label,
  hint,
  error,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id: (children.props.id as string | undefined) ?? id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
      })
    : children;
  const controlId = (isValidElement(children) && (children.props.id as string | undefined)) || id;
  return (
    <div className={`field ${className ?? ''}`.trim()}>
      <label className="field__label" htmlFor={controlId}>
        {label}
      </label>
      {control}
      {hint && (
        <span id={hintId} className="field__hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field__error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A PIN box: digits only, masked, 4–8 long. */
export function PinInput(props: {
  value: string;
  onChange: (v: string) => void;
  autoFocus?: boolean;
  id?: string;
  name?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  return (
    <input
      id={props.id}
      aria-describedby={props['aria-describedby']}
      aria-invalid={props['aria-invalid']}
      name={props.name ?? 'pin'}
      className="input input--pin"
      type="password"
      inputMode="numeric"
      autoComplete="off"
      pattern="\d{4,8}"
      maxLength={8}
      value={props.value}
      data-autofocus={props.autoFocus ? '' : undefined}
      autoFocus={props.autoFocus}
      onChange={(e) => props.onChange(e.target.value.replace(/\D/g, '').slice(0, 8))}
    />
  );
}
