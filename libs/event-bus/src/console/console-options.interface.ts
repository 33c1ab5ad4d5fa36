import type { CanActivate, ModuleMetadata, Type } from '@nestjs/common';

/** Options of `EventBusConsoleModule.forRoot()`. */
export interface EventBusConsoleOptions {
  /** Where the page is mounted on the application's HTTP server; the JSON API is under `<path>/api`. Default `'event-bus'`. */
  path?: string;
  /**
   * Who may use the console: a guard class (resolved by Nest, with its dependencies from
   * `imports` and global modules) or instance. Required, unless `insecureDevMode` is set.
   */
  guard?: Type<CanActivate> | CanActivate;
  /**
   * Mounts the console without a guard: anyone who reaches the server can replay and purge.
   * Only for a developer's machine; refused when `NODE_ENV` is `production`, and logged as a
   * warning at startup.
   */
  insecureDevMode?: boolean;
  /** Modules the guard's dependencies come from. */
  imports?: ModuleMetadata['imports'];
  /** Dead letters per page, in the page and by default in the API. Default 50, at most 500. */
  pageSize?: number;
  /** Milliseconds between the page's refreshes while it is open. Default 2000. */
  refreshInterval?: number;
  /** Window of the dead-letter trend and the handling rate, in milliseconds. Default 300000 (five minutes). */
  trendWindow?: number;
}

/** Console options after validation, with every default filled in. */
export interface ResolvedConsoleOptions {
  /** Mount path without leading or trailing slashes. */
  path: string;
  guard?: Type<CanActivate> | CanActivate;
  insecureDevMode: boolean;
  pageSize: number;
  refreshInterval: number;
  trendWindow: number;
}
