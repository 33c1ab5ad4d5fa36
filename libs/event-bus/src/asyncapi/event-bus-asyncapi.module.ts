import { Controller, Get, Header, Inject, Module, type DynamicModule } from '@nestjs/common';
import type { EventBusAsyncApiOptions } from './asyncapi-options.interface';
import { AsyncApiDocumentService } from './asyncapi-document.service';

/** Injection token of the options given to `EventBusAsyncApiModule.forRoot()`. */
export const EVENT_BUS_ASYNCAPI_OPTIONS = 'event-bus:asyncapi_options';

/** `/asyncapi/` -> `asyncapi`: Nest joins controller paths itself. */
function routeOf(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9._~\-/]+$/.test(trimmed)) {
    throw new Error(`EventBusAsyncApiModule: path must be a plain URL path such as '/asyncapi' (got ${JSON.stringify(path)})`);
  }
  return trimmed;
}

/** A controller serving the document at `route` (JSON), `route.json` and `route.yaml`. */
function asyncApiController(route: string) {
  @Controller()
  class AsyncApiController {
    constructor(
      private readonly documents: AsyncApiDocumentService,
      @Inject(EVENT_BUS_ASYNCAPI_OPTIONS) private readonly options: EventBusAsyncApiOptions,
    ) {}

    @Get([route, `${route}.json`])
    @Header('content-type', 'application/json; charset=utf-8')
    json(): string {
      return this.documents.json(this.options);
    }

    @Get(`${route}.yaml`)
    @Header('content-type', 'application/yaml; charset=utf-8')
    yaml(): string {
      return this.documents.yaml(this.options);
    }
  }
  return AsyncApiController;
}

/**
 * Serves this service's AsyncAPI 3.0 document over HTTP; import it next to `EventBusModule`:
 *
 * ```ts
 * EventBusAsyncApiModule.forRoot({ path: '/asyncapi', publishes: ['USER_CREATED'] })
 * ```
 * `GET /asyncapi` (and `/asyncapi.json`) answers JSON, `GET /asyncapi.yaml` YAML. The same
 * options drive the `event-bus-asyncapi` command, which writes the document to a file.
 */
@Module({})
export class EventBusAsyncApiModule {
  /** Registers the options and, unless `path` is `false`, the controller. */
  static forRoot(options: EventBusAsyncApiOptions = {}): DynamicModule {
    const path = options.path ?? '/asyncapi';
    return {
      module: EventBusAsyncApiModule,
      providers: [{ provide: EVENT_BUS_ASYNCAPI_OPTIONS, useValue: options }],
      exports: [EVENT_BUS_ASYNCAPI_OPTIONS],
      controllers: path === false ? [] : [asyncApiController(routeOf(path))],
    };
  }
}
