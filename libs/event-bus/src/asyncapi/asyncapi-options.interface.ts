/** Options of `EventBusAsyncApiModule.forRoot()` and of the `event-bus-asyncapi` command. */
export interface EventBusAsyncApiOptions {
  /**
   * HTTP path the document is served at: JSON at `<path>` and `<path>.json`, YAML at
   * `<path>.yaml`. Default `'/asyncapi'`; `false` serves nothing (the command still works).
   */
  path?: string | false;
  /** `info.title` of the document. Default `'<serviceName> events'`. */
  title?: string;
  /** `info.version` (the version of this service's event API). Default `'1.0.0'`. */
  version?: string;
  /** `info.description`. */
  description?: string;
  /**
   * Event types this service publishes: each becomes a `send` operation. The payload schema is
   * the type's DTO in the bus's `schemas` option (which also validates it on publish); a type
   * without one is documented with a free-form payload.
   */
  publishes?: string[];
}
