import type { INestApplicationContext, Type } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import { ApplicationConfig } from '@nestjs/core/application-config';
import { NestContainer } from '@nestjs/core/injector/container';
import { Injector } from '@nestjs/core/injector/injector';
import { InstanceLoader } from '@nestjs/core/injector/instance-loader';
import { NoopGraphInspector } from '@nestjs/core/inspector/noop-graph-inspector';
import { NestApplicationContext } from '@nestjs/core/nest-application-context';
import { DependenciesScanner } from '@nestjs/core/scanner';

/**
 * Builds an application's providers without starting it: no `onModuleInit`, no
 * `onApplicationBootstrap`, so no consumer is bound and no handler runs, which
 * `NestFactory.createApplicationContext` (always initialising) cannot promise. The connections
 * the providers open (RabbitMQ, Redis) are opened, as when the service starts, and closed by
 * `close()`. These are the steps `@nestjs/testing`'s `compile()` takes, with Nest's own classes
 * (not part of its documented API: check them when upgrading Nest).
 */
export async function loadApplicationWithoutStarting(module: Type<unknown>): Promise<INestApplicationContext> {
  const config = new ApplicationConfig();
  const container = new NestContainer(config);
  const scanner = new DependenciesScanner(container, new MetadataScanner(), NoopGraphInspector, config);
  await scanner.scan(module);
  await new InstanceLoader(container, new Injector(), NoopGraphInspector).createInstancesOfDependencies();
  scanner.applyApplicationProviders();
  const root = container.getModules().values().next().value ?? null;
  return new NestApplicationContext(container, {}, root);
}
