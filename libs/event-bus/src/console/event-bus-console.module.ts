import { Module, type DynamicModule, type OnApplicationBootstrap, Inject } from '@nestjs/common';
import { EventBusLogger } from '../logging/event-bus-logger';
import { createConsoleController } from './console.controller';
import { EVENT_BUS_CONSOLE_OPTIONS } from './console.constants';
import { ConsoleDirectory } from './console-directory';
import type { EventBusConsoleOptions, ResolvedConsoleOptions } from './console-options.interface';
import { resolveConsoleOptions } from './console-options';
import { ConsoleService } from './console.service';

/**
 * The operator console: a page on the application's own HTTP server (default `/event-bus`)
 * showing this service's queues and dead letters, with replay, edit-and-replay and purge, and
 * the JSON API behind it. Import it next to `EventBusModule`:
 *
 * ```ts
 * EventBusConsoleModule.forRoot({ guard: OperatorGuard })   // or { insecureDevMode: true } on a laptop
 * ```
 * Without a guard it refuses to mount (the console can replay and purge), unless told it is a
 * development setup with `insecureDevMode`.
 */
@Module({})
export class EventBusConsoleModule implements OnApplicationBootstrap {
  constructor(
    @Inject(EVENT_BUS_CONSOLE_OPTIONS) private readonly options: ResolvedConsoleOptions,
    private readonly console: ConsoleService,
  ) {}

  /**
   * Mounts the console.
   *
   * @throws InvalidConsoleOptionsError when there is no guard (and no `insecureDevMode`) or an option is wrong
   */
  static forRoot(options: EventBusConsoleOptions): DynamicModule {
    const resolved = resolveConsoleOptions(options);
    return {
      module: EventBusConsoleModule,
      imports: options.imports ?? [],
      controllers: [createConsoleController(resolved)],
      providers: [{ provide: EVENT_BUS_CONSOLE_OPTIONS, useValue: resolved }, ConsoleDirectory, ConsoleService],
    };
  }

  onApplicationBootstrap(): void {
    if (!this.options.insecureDevMode) return;
    // Loud on purpose: an unguarded console lets anyone who reaches the server replay and purge.
    new EventBusLogger('EventBus:Console', []).warn(
      `Operator console at /${this.options.path} is mounted WITHOUT a guard (insecureDevMode); never run it like this outside a developer machine`,
      { service: this.console.serviceName },
    );
  }
}
