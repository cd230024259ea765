/** Errors of the event bus. None quotes a payload. */

export class InvalidTopicError extends Error {
  readonly topic: string;
  constructor(topic: string) {
    super(`Invalid event topic ${JSON.stringify(topic.slice(0, 60))}: expected [a-z0-9] words joined by . _ : -`);
    this.name = 'InvalidTopicError';
    this.topic = topic;
  }
}

export class EventPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPayloadError';
  }
}

export class EventBusClosedError extends Error {
  constructor() {
    super('The event bus is closed');
    this.name = 'EventBusClosedError';
  }
}
