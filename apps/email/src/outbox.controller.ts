import { Controller, Get } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** Shows what was sent. */
@Controller('outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  list() {
    return this.outbox.list();
  }
}
