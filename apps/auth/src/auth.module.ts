import { Module } from '@nestjs/common';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { UsersController } from './users.controller';

/** The auth service: HTTP sign-up, publishes USER_CREATED. */
@Module({
  imports: [...sampleInfrastructure('auth')],
  controllers: [UsersController],
})
export class AuthModule {}
