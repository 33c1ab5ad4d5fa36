import { Module } from '@nestjs/common';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { OutboxController } from './outbox.controller';
import { OutboxService } from './outbox.service';
import { WelcomeEmailHandler } from './welcome-email.handler';

/** The e-mail service: a welcome e-mail on USER_CREATED. */
@Module({
  imports: [...sampleInfrastructure('email')],
  controllers: [OutboxController],
  providers: [OutboxService, WelcomeEmailHandler],
})
export class EmailModule {}
