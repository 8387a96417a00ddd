import { NumberInput, type NumberInputProps, TextInput, type TextInputProps } from '@mantine/core';
import { useState } from 'react';
import { minorUnitDigits } from '../../../../../common/money.ts';
import { bpsToMultiplier, bpsToPercent, majorToMinor, minorToMajor, multiplierToBps, percentToBps } from '../plan-format.ts';
import { useIssueAt } from '../plan-issues.ts';

/**
 * Inputs of the plan editor. Each one is bound to a path of the plan document: the problems the
 * plan model finds at that path are shown at the field. Values are shown in people's units
 * (%, x, major units) and stored in the model's (basis points, minor units).
 */

type Base = Omit<NumberInputProps, 'value' | 'onChange' | 'error'> & { path: string };

const same = (a: number | '', b: number | ''): boolean => {
  if (a === '' || b === '') return a === b;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) < 1e-9;
};

/**
 * A number input whose shown text stays as typed ("2." while typing 2.5) as long as it means the
 * value the document holds; when the document changes from elsewhere the input follows it.
 */
function UnitNumberInput({
  path,
  shown,
  onNumber,
  nullable,
  ...rest
}: Base & { shown: number | null; onNumber: (n: number | null) => void; nullable?: boolean }) {
  const error = useIssueAt(path);
  const external: number | '' = shown === null || Number.isNaN(shown) ? '' : shown;
  const [raw, setRaw] = useState<number | string>(external);
  const rawNumber: number | '' = raw === '' ? '' : typeof raw === 'number' ? raw : Number.isNaN(Number(raw)) ? '' : Number(raw);
  const value = same(rawNumber, external) ? raw : external;
  return (
    <NumberInput
      {...rest}
      value={value}
      error={error}
      onChange={(v) => {
        setRaw(v);
        if (v === '') onNumber(nullable ? null : Number.NaN);
        else onNumber(typeof v === 'number' ? v : Number(v));
      }}
    />
  );
}

type Bound<N extends boolean> = Base & {
  value: number | null;
  /** true: an empty input means null (no cap, no upper end); otherwise it is a problem to fix. */
  nullable?: N;
  onChange: (value: N extends true ? number | null : number) => void;
};

/** A rate or attainment in basis points, typed as a percentage. */
export function PercentInput<N extends boolean = false>({ value, onChange, nullable, ...rest }: Bound<N>) {
  const set = onChange as (v: number | null) => void;
  return (
    <UnitNumberInput
      {...rest}
      nullable={nullable}
      shown={value === null ? null : bpsToPercent(value)}
      onNumber={(n) => set(n === null ? null : percentToBps(n))}
      suffix=" %"
      decimalScale={2}
      allowNegative={false}
    />
  );
}

/** A multiplier in basis points, typed as "1.2 x". */
export function MultiplierInput({ value, onChange, ...rest }: Base & { value: number; onChange: (bps: number) => void }) {
  return (
    <UnitNumberInput
      {...rest}
      shown={bpsToMultiplier(value)}
      onNumber={(n) => onChange(n === null ? Number.NaN : multiplierToBps(n))}
      suffix=" x"
      decimalScale={4}
      allowNegative={false}
    />
  );
}

/** Money in minor units of the plan currency, typed in major units. */
export function MoneyInput<N extends boolean = false>({ value, onChange, nullable, currency, ...rest }: Bound<N> & { currency: string }) {
  const set = onChange as (v: number | null) => void;
  return (
    <UnitNumberInput
      {...rest}
      nullable={nullable}
      shown={value === null ? null : minorToMajor(value, currency)}
      onNumber={(n) => set(n === null ? null : majorToMinor(n, currency))}
      suffix={` ${currency}`}
      decimalScale={minorUnitDigits(currency)}
      thousandSeparator=","
      allowNegative={false}
    />
  );
}

/** A plain number (whole days, periods, metric targets). */
export function PlainNumberInput<N extends boolean = false>({ value, onChange, nullable, ...rest }: Bound<N>) {
  const set = onChange as (v: number | null) => void;
  return <UnitNumberInput {...rest} nullable={nullable} shown={value} onNumber={set} />;
}

/** A text field bound to a plan path. */
export function PlanTextInput({ path, ...rest }: Omit<TextInputProps, 'error'> & { path: string }) {
  const error = useIssueAt(path);
  return <TextInput {...rest} error={error} />;
}
