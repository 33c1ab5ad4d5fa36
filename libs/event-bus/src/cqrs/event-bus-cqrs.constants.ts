/** Injection token of the options given to `EventBusCqrsModule.forRoot()`. */
export const EVENT_BUS_CQRS_OPTIONS = 'event-bus:cqrs_options';
