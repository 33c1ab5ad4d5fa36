import { Module } from '@nestjs/common';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { samplePostgres } from '../../shared/src/sample-postgres.module';
import { SignUpService } from './sign-up.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

/** The auth service: HTTP sign-up into PostgreSQL, USER_CREATED through the transactional outbox. */
@Module({
  imports: [...sampleInfrastructure('auth'), ...samplePostgres('auth')],
  controllers: [UsersController],
  providers: [UsersRepository, SignUpService],
})
export class AuthModule {}
