/**
 * Is the machine busy? Ratios between engines timed one after another mean nothing when other processes
 * take the CPU (a `--quick` run under load printed 45× and 185×). The bench samples /proc/stat (Linux; the
 * 1-minute load average elsewhere) before the run and after it, and withholds ratios when other work used
 * more than BUSY_FRACTION of the machine.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export const BUSY_FRACTION = 0.25;

export interface CpuSample {
  busy: number;
  total: number;
}

/** The aggregate `cpu` line of /proc/stat: busy and total jiffies. */
export function parseProcStat(text: string): CpuSample | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) return null;
  const idle = v[3]! + (v[4] ?? 0); // idle + iowait
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The busy fraction between two samples, in [0, 1]. */
export function busyFraction(a: CpuSample, b: CpuSample): number {
  const dt = b.total - a.total;
  return dt > 0 ? Math.min(1, Math.max(0, (b.busy - a.busy) / dt)) : 0;
}

export interface LoadReading {
  /** Fraction of the whole machine's CPU in use by others. */
  fraction: number;
  how: string;
}

/** Measures over `ms` milliseconds while this process sleeps (so the reading is other processes' work). */
export async function measureLoad(ms = 2000): Promise<LoadReading> {
  const read = () => {
    try {
      return parseProcStat(readFileSync('/proc/stat', 'utf8'));
    } catch {
      return null;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  if (a !== null && b !== null)
    return { fraction: busyFraction(a, b), how: `/proc/stat over ${(ms / 1000).toFixed(0)} s` };
  const cores = Math.max(1, cpus().length);
  return { fraction: Math.min(1, loadavg()[0]! / cores), how: `1-minute load average / ${cores} cores` };
}

/** null when ratios may be printed, else the sentence that says why not. */
export function ratioRefusal(readings: readonly LoadReading[]): string | null {
  const worst = readings.reduce((m, r) => (r.fraction > m.fraction ? r : m), { fraction: 0, how: '' });
  if (worst.fraction <= BUSY_FRACTION) return null;
  return (
    `ratios withheld: other processes used ${(worst.fraction * 100).toFixed(0)}% of the CPU (${worst.how}; ` +
    `the limit is ${(BUSY_FRACTION * 100).toFixed(0)}%), so engines timed one after another are not comparable. ` +
    `Rerun on an idle machine.`
  );
}
