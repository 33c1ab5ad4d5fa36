import { Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventBus, currentCorrelationId } from 'nestjs-event-bus';
import { CreateUserDto, type UserCreated } from './create-user.dto';

/** Sign-up: every new user is announced as USER_CREATED and kept as the latest state in Redis. */
@Controller('users')
export class UsersController {
  constructor(private readonly eventBus: EventBus) {}

  @Post()
  async create(@Body() body: CreateUserDto) {
    const userId = randomUUID();
    const event = await this.eventBus.publish<UserCreated>(
      { type: 'USER_CREATED', key: userId, data: { userId, email: body.email, role: body.role } },
      { persistent: true, cache: true },
    );
    return { userId, eventId: event.id, correlationId: currentCorrelationId() };
  }

  /** Answered from the latest-event cache: no database, no call to another service. */
  @Get(':id')
  async find(@Param('id') id: string) {
    const latest = await this.eventBus.getLatest<UserCreated>('USER_CREATED', id);
    if (!latest) throw new NotFoundException(`No user ${id}`);
    return { ...latest.data, createdAt: latest.metadata.timestamp };
  }
}
