/** Injection token of the resolved console options (`ResolvedConsoleOptions`). */
export const EVENT_BUS_CONSOLE_OPTIONS = 'event-bus:console_options';
