/** Parsers for numeric command-line options, with errors that name the option. */
import { InvalidArgumentError } from 'commander';

export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer; received '${value}'`);
    return n;
  };
}

export function integer(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer; received '${value}'`);
    return n;
  };
}

export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0) || value.trim() === '')
      throw new InvalidArgumentError(`${name} must be a positive number; received '${value}'`);
    return n;
  };
}
