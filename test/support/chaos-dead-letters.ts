import type { RawAmqp } from './raw-amqp';

/** A dead letter as the suite checks it: the original body and the failure headers. */
export interface DeadLetter {
  messageId: string | undefined;
  body: Buffer;
  errorName: string;
  error: string;
  retryCount: number;
  history: Array<{ attempt: number; error: string; timestamp: string }>;
  originalQueue: string;
}

/** Takes every message out of a dead-letter queue (the scenario is over; nothing to keep). */
export async function takeDeadLetters(raw: RawAmqp, dlq: string): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (;;) {
    const message = await raw.channel.get(dlq, { noAck: true });
    if (!message) return letters;
    const headers = message.properties.headers ?? {};
    letters.push({
      messageId: message.properties.messageId,
      body: message.content,
      errorName: String(headers['x-error-name']),
      error: String(headers['x-error']),
      retryCount: Number(headers['x-retry-count']),
      history: JSON.parse(String(headers['x-retry-history'] ?? '[]')),
      originalQueue: String(headers['x-original-queue']),
    });
  }
}
