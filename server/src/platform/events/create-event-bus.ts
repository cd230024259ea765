import type { Config } from '../../config.ts';
import type { EventBus, EventsLogger } from './event-bus.ts';
import { InProcessEventBus } from './in-process-event-bus.ts';
import { RedisEventBus } from './redis-event-bus.ts';

/**
 * The default channel prefix: the instance's public URL, which every node of one Entente shares
 * and two Entente instances do not, so that they can share a Redis without hearing each other.
 */
export function defaultChannelPrefix(publicUrl: URL): string {
  const path = publicUrl.pathname.replace(/\/+$/, '');
  return `entente:${publicUrl.host}${path}:events:`;
}

/** Redis when REDIS_URL is set (several nodes), otherwise the bus of this one process. */
export function createEventBus(
  config: Pick<Config, 'redisUrl' | 'publicUrl'>,
  logger: EventsLogger,
  options: { prefix?: string } = {},
): EventBus {
  if (!config.redisUrl) return new InProcessEventBus(logger);
  return new RedisEventBus({
    url: config.redisUrl,
    logger,
    prefix: options.prefix ?? defaultChannelPrefix(config.publicUrl),
  });
}
