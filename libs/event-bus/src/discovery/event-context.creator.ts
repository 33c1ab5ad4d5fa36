import type { PipeTransform } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import { GuardDeniedError } from '../errors/guard-denied.error';
import { PipeRejectedError } from '../errors/pipe-rejected.error';
import { isRefusal, refusalReason } from './handler-refusal';
import { describeEventParam } from './event-params.factory';

type GuardsFn = (args: unknown[]) => Promise<void>;

/**
 * Nest's `ExternalContextCreator` (guards, interceptors, pipes around a method, as for
 * microservices), with one difference for events: a guard's denial or a pipe's refusal
 * becomes a `NonRetryableError` (`GuardDeniedError`, `PipeRejectedError`), so the event is
 * dead-lettered at once with the reason in `x-error` instead of being retried into the same
 * answer. The two hooks below are the only places Nest runs guards and pipes, so refusals
 * are told apart from the handler's own exceptions (a handler throwing `BadRequestException`
 * is retried like any failure). Hooks that return `null` (no guards, no decorated
 * parameters) stay `null`: the per-event path of a plain handler is Nest's own.
 */
export class EventContextCreator extends ExternalContextCreator {
  override createGuardsFn<TContext extends string>(
    guards: unknown[],
    instance: object,
    callback: (...args: unknown[]) => unknown,
    contextType?: TContext,
  ): GuardsFn | null {
    const canActivate = super.createGuardsFn(guards, instance, callback, contextType) as GuardsFn | null;
    if (!canActivate) return null;
    const handler = `${instance.constructor.name}.${callback.name}`;
    return async (args) => {
      try {
        await canActivate(args);
      } catch (error) {
        if (isRefusal(error)) throw new GuardDeniedError(handler, refusalReason(error), { cause: error });
        throw error;
      }
    };
  }

  override async getParamValue<T>(
    value: T,
    metadata: { metatype: unknown; type: unknown; data: unknown },
    pipes: PipeTransform[],
  ): Promise<unknown> {
    try {
      return await super.getParamValue(value, metadata, pipes);
    } catch (error) {
      if (isRefusal(error))
        throw new PipeRejectedError(describeEventParam(metadata.type, metadata.data), refusalReason(error), { cause: error });
      throw error;
    }
  }
}
