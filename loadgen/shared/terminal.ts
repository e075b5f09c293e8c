/**
 * What a stream may show: colour and a live, redrawn progress bar only on an interactive terminal; none in CI
 * logs (CI set), on a dumb terminal, or (colour) under NO_COLOR (https://no-color.org).
 */
export interface TerminalCaps {
  /** ANSI colours. */
  readonly color: boolean;
  /** A progress bar redrawn in place (cursor movement); otherwise plain lines. */
  readonly liveProgress: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

export function terminalCaps(stream: { readonly isTTY?: boolean }, env: Env = process.env): TerminalCaps {
  const interactive = stream.isTTY === true && !isSet(env.CI) && env.TERM !== 'dumb';
  // NO_COLOR: present and not empty, whatever its value.
  return { color: interactive && !env.NO_COLOR, liveProgress: interactive };
}

const SGR = { green: 32, red: 31, bold: 1 } as const;

/** Wraps text in an ANSI colour when colour is on. */
export function paint(on: boolean, style: keyof typeof SGR, text: string): string {
  return on ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
}
