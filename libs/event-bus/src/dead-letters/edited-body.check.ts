import type { Message } from 'amqplib';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import { validateEventData } from '../validation/validate-event-data';
import { decodeEvent, DecodeFailure } from '../wire/event-decoder';

/** Why a JSON text does not parse, with the position `JSON.parse` names. */
function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return `body is not JSON: ${(err as Error).message}`;
  }
}

/**
 * What stands between an edited dead-letter body and its delivery, or `[]`: the body must be
 * JSON, decode as the queue's consumer would decode it (same AMQP properties and headers as the
 * original), keep the event type the dead letter had, and pass `schema` when one is given. An
 * edit that would only be dead-lettered again is refused here instead.
 *
 * @param original the dead letter as it is in the queue
 * @param body the edited body text
 * @param type the dead letter's event type
 * @param schema the DTO of the type (module `schemas` or the subscription's `schema`), if any
 */
export async function editedBodyProblems(original: Message, body: string, type: string, schema?: ClassConstructor): Promise<string[]> {
  const notJson = jsonProblem(body);
  if (notJson) return [notJson];
  const envelope = decodeEvent({ ...original, content: Buffer.from(body, 'utf8') });
  if (envelope instanceof DecodeFailure) return [`body cannot be decoded as an event: ${envelope.reason}`];
  if (envelope.type !== type) return [`body changes the event type from ${type} to ${envelope.type}; keep "type": "${type}"`];
  if (!schema) return [];
  const validation = await validateEventData(schema, envelope.data);
  return validation.ok ? [] : validation.problems.map((p) => `data: ${p}`);
}
