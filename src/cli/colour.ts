/** ANSI colour for the terminal only: never in a file or a pipe, and never when NO_COLOR is set. */
export interface ColourTarget {
  isTTY?: boolean;
}

const CODES = { error: 31, warning: 33, info: 36, ok: 32, dim: 2 } as const;
export type Tone = keyof typeof CODES;

export function colourEnabled(stream: ColourTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';
}

export function paint(text: string, tone: Tone, enabled: boolean): string {
  return enabled ? `\x1b[${CODES[tone]}m${text}\x1b[0m` : text;
}
