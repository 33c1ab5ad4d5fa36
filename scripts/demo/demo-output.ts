import type { ObservedEntry } from './service-launcher';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Terminal colours, plain text when the output is not a terminal. */
export const colour = {
  bold: paint(1),
  dim: paint(2),
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  blue: paint(34),
  magenta: paint(35),
  cyan: paint(36),
};

const SERVICE_COLOURS: Record<string, (t: string) => string> = {
  auth: colour.blue,
  email: colour.cyan,
  kyc: colour.magenta,
  documents: colour.yellow,
};

/** Prints the demo's output: step headings, timeline rows, notes. */
export class DemoOutput {
  private readonly startedAt = Date.now();

  step(title: string): void {
    console.log(`\n${colour.bold(title)}`);
  }

  note(text: string): void {
    console.log(`  ${colour.dim('·')} ${text}`);
  }

  /** One timeline row: time since start, service, event, correlation id, attempt, outcome. */
  entry(e: ObservedEntry): void {
    const seconds = ((Date.parse(e.at) - this.startedAt) / 1000).toFixed(2).padStart(6);
    const service = (SERVICE_COLOURS[e.service] ?? colour.dim)(e.service.padEnd(9));
    const outcome = e.outcome === 'handled' ? colour.green(e.outcome) : e.outcome === 'failed' ? colour.red(e.outcome) : e.outcome;
    const detail = e.detail ? colour.dim(` ${e.detail}`) : '';
    console.log(
      `  ${colour.dim(`+${seconds}s`)}  ${service} ${e.event.padEnd(18)} ${String(e.correlationId ?? '-').padEnd(16)} #${e.attempt ?? '-'}  ${outcome}${detail}`,
    );
  }

  /** Rows of label/value pairs. */
  table(rows: Array<[string, string]>): void {
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  }

  elapsed(): string {
    return `${((Date.now() - this.startedAt) / 1000).toFixed(1)} s`;
  }
}
