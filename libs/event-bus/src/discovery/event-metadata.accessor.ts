import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OnEventMetadata } from '../decorators/on-event.decorator';
import { ON_EVENT_METADATA } from '../event-bus.constants';

/** Reads `@OnEvent` bindings off handler methods. */
@Injectable()
export class EventMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  /** Bindings of a method, in declaration order (empty when not decorated). */
  bindingsOf(method: unknown): OnEventMetadata[] {
    if (typeof method !== 'function') return [];
    return this.reflector.get<OnEventMetadata[] | undefined>(ON_EVENT_METADATA, method) ?? [];
  }
}
