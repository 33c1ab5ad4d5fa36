import { createInterface } from 'node:readline';
import type { DlqCommand } from './dlq-arguments';
import { DlqUsageError } from './dlq-usage-error';

/**
 * Refuses a purge without `--yes` when nobody can answer the prompt (stdin is not a
 * terminal: a script, a pipe, CI), before anything is connected or deleted.
 *
 * @throws DlqUsageError saying to pass --yes
 */
export function requirePurgeConsent(command: DlqCommand, interactive: boolean): void {
  if (command.action === 'purge' && !command.yes && !interactive) {
    throw new DlqUsageError(`purge deletes every dead letter of ${command.queue}; stdin is not a terminal to confirm it, so pass --yes`);
  }
}

/**
 * Asks `question` on `output` and reads one line from `input`: `true` only for `y` or `yes`
 * (any case). End of input or Ctrl-C counts as no.
 */
export function askYesNo(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output });
    let answer: string | undefined;
    rl.on('SIGINT', () => rl.close());
    rl.once('close', () => {
      if (answer === undefined) output.write('\n');
      resolve(answer !== undefined && /^y(es)?$/i.test(answer.trim()));
    });
    rl.question(question, (line) => {
      answer = line;
      rl.close();
    });
  });
}
