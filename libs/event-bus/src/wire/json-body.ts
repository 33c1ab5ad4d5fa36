import { CLOUDEVENTS_CONTENT_TYPE } from '../event-bus.constants';
import secureJson from 'secure-json-parse';
import { DecodeFailure } from './decode-failure';

const SAFE_PARSE = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * Parses a JSON body. secure-json-parse refuses `__proto__` and `constructor.prototype` keys,
 * so no payload can pollute prototypes further down (merges, class-transformer); its fast path
 * is a regex pre-check, so clean bodies cost what JSON.parse costs.
 */
export function parseJsonBody(content: Buffer): unknown {
  try {
    return secureJson.parse(content, undefined, SAFE_PARSE);
  } catch (err) {
    const polluting = (err as Error).message.includes('forbidden prototype property');
    return new DecodeFailure(
      polluting ? 'body carries a __proto__ or constructor.prototype key (prototype pollution)' : 'body is not valid JSON',
    );
  }
}

/** The media type of a `content-type` value, lower case and without parameters (`''` when absent). */
export function mediaTypeOf(contentType: unknown): string {
  // What this library sends, and most producers: already a bare, lower-case media type.
  if (contentType === CLOUDEVENTS_CONTENT_TYPE || contentType === 'application/json') return contentType;
  return typeof contentType === 'string' ? contentType.split(';', 1)[0].trim().toLowerCase() : '';
}

/** Whether a media type is JSON: `application/json` or any `+json` suffix. */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}
