import { type Bag, describeValue, type Problems, requireUrl } from './option-checks';

/** Schemes RabbitMQ node URLs may have. */
const AMQP_SCHEMES = ['amqp:', 'amqps:'];

/**
 * `rabbitmq.url` (one node) or `rabbitmq.urls` (the nodes of one cluster): exactly one of them,
 * every URL `amqp://` or `amqps://`. Problems name the field (`rabbitmq.urls[1]` for one entry)
 * and quote values with their passwords masked.
 */
export function checkBrokerUrls(rabbitmq: Bag, problems: Problems): void {
  const { url, urls } = rabbitmq;
  if (url !== undefined && urls !== undefined) {
    problems.push('rabbitmq.urls: give either rabbitmq.url (one node) or rabbitmq.urls (the nodes of a cluster), not both');
    return;
  }
  if (urls === undefined) {
    if (url === undefined) {
      problems.push('rabbitmq.url: required (or rabbitmq.urls, the node URLs of a cluster); an amqp:// or amqps:// URL (got undefined)');
      return;
    }
    requireUrl(rabbitmq, 'url', 'rabbitmq.url', AMQP_SCHEMES, problems);
    return;
  }
  if (!Array.isArray(urls) || urls.length === 0) {
    const got = Array.isArray(urls) ? 'an empty array' : describeValue(urls);
    problems.push(`rabbitmq.urls: must be a non-empty array of amqp:// or amqps:// URLs, one per cluster node (got ${got})`);
    return;
  }
  urls.forEach((_, i) => requireUrl(urls as unknown as Bag, String(i), `rabbitmq.urls[${i}]`, AMQP_SCHEMES, problems));
}

/** The node URLs of valid options: `urls`, or `url` alone. */
export function brokerUrlsOf(rabbitmq: { url?: string; urls?: readonly string[] }): string[] {
  return rabbitmq.urls ? [...rabbitmq.urls] : rabbitmq.url !== undefined ? [rabbitmq.url] : [];
}
