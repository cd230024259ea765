/** The event bus: publish/subscribe within a process, or between nodes over Redis. */
export { createEventBus, defaultChannelPrefix } from './create-event-bus.ts';
export { EventBusClosedError, EventPayloadError, InvalidTopicError } from './errors.ts';
export type { EventBus, EventBusCheck, EventHandler, EventsLogger, JsonValue } from './event-bus.ts';
export { InProcessEventBus } from './in-process-event-bus.ts';
export { DEFAULT_MAX_PAYLOAD_BYTES } from './message.ts';
export { RedisEventBus, type RedisEventBusOptions } from './redis-event-bus.ts';
