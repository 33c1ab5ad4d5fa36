import { Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { currentCorrelationId } from 'nestjs-event-bus';
import { CreateUserDto } from './create-user.dto';
import { SignUpService } from './sign-up.service';
import { UsersRepository } from './users.repository';

/** Sign-up: every new user is stored in PostgreSQL and announced as USER_CREATED through the outbox. */
@Controller('users')
export class UsersController {
  constructor(
    private readonly signUps: SignUpService,
    private readonly users: UsersRepository,
  ) {}

  @Post()
  async create(@Body() body: CreateUserDto) {
    const event = await this.signUps.signUp(body);
    return { userId: event.data.userId, eventId: event.id, correlationId: currentCorrelationId() };
  }

  @Get(':id')
  async find(@Param('id') id: string) {
    const user = await this.users.find(id);
    if (!user) throw new NotFoundException(`No user ${id}`);
    return user;
  }
}
