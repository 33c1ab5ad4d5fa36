/**
 * The layers of libs/event-bus/src, low to high. A file may import files of lower layers, and files of
 * its own top-level folder; anything else (upward, or sideways into another folder of the same rank)
 * is a violation. Keys are top-level folder names, or file names for files directly in src/.
 * A new folder must be given a rank here on purpose: an unranked file fails the architecture spec.
 */
export const LAYERS: Readonly<Record<string, number>> = {
  // Vocabulary every layer may use.
  errors: 0,
  interfaces: 0,
  'event-bus.constants.ts': 0,
  batching: 0,
  correlation: 0,

  options: 1,
  'event-bus.module-definition.ts': 1,

  logging: 2,
  wire: 2,
  topology: 2,
  validation: 2,
  stats: 2,
  config: 2,

  // Connections, keys and the swap-point interfaces of the transport.
  decorators: 3,
  telemetry: 3,
  redis: 3,
  transport: 3,
  // SQL, transaction adapters and the schema of the outbox and inbox (pg types only).
  sql: 3,

  amqp: 4,
  idempotency: 4,
  cache: 4,
  inbox: 4,

  state: 5,

  consuming: 6,
  publishing: 6,
  'dead-letters': 6,

  discovery: 7,
  monitoring: 7,
  outbox: 7,

  // The operator console: uses dead letters and monitoring, and is exported by index.ts (8).
  console: 7.5,
  asyncapi: 7,

  // The module: wires everything together.
  'event-bus.service.ts': 8,
  'event-bus.providers.ts': 8,
  'event-bus.module.ts': 8,
  'index.ts': 8,

  // Entry points above the module.
  cli: 9,
  testing: 9,
  cqrs: 9,
  postgres: 9,
};

/**
 * The layer of a source file (path relative to src/, forward slashes), looked up by its first path
 * segment: the top-level folder, or the file name for a file directly in src/. Undefined when unranked.
 */
export function layerOf(file: string): number | undefined {
  const key = file.split('/')[0];
  return Object.prototype.hasOwnProperty.call(LAYERS, key) ? LAYERS[key] : undefined;
}
