interface Props {
  /** 0-100, or undefined when the server has not said how far along it is. */
  value: number | undefined;
  label: string;
  compact?: boolean;
}

export function ProgressBar({ value, label, compact }: Props) {
  const known = value !== undefined && Number.isFinite(value);
  const percent = known ? Math.min(100, Math.max(0, Math.round(value))) : undefined;
  return (
    <div
      class={`progress${known ? '' : ' progress-indeterminate'}${compact ? ' progress-compact' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={percent === undefined ? label : `${label}: ${percent}%`}
    >
      <div class="progress-fill" style={percent === undefined ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
