import { Controller, Get, Header } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { EventBusHealthIndicator, EventBusMetrics } from 'nestjs-event-bus';
import { Registry, collectDefaultMetrics } from 'prom-client';

/** `GET /health` (terminus, 503 when down) and `GET /metrics` (Prometheus text format). */
@Controller()
export class MonitoringController {
  private readonly registry = new Registry();

  constructor(
    private readonly health: HealthCheckService,
    private readonly eventBusHealth: EventBusHealthIndicator,
    metrics: EventBusMetrics,
  ) {
    metrics.register(this.registry);
    collectDefaultMetrics({ register: this.registry });
  }

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventBusHealth.isHealthy('event-bus')]);
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
