import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from "fastify";
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';
import { uuidv7 } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { registerHealth, type ReadinessCheck } from './health.ts';
import { trackRoutes } from './method-not-allowed.ts';
import { type HttpMetrics, hasOperatorToken, registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { registerRateLimit } from './rate-limit.ts';
import { errorHandler, sendProblem, toAppError } from './problems.ts';
import { registerLocale } from './request-context.ts';
import { isSpaPath, registerSpa } from './spa.ts';

export type App = FastifyInstance;

export interface HttpAppOptions {
  config: Config;
  logger: Logger;
  readiness: ReadinessCheck;
  /** Folder of the built web app (web/dist); absent in some tests. */
  webDist: string | null;
  /** Called for every problem answered (the identity module audits denials through it). */
  onProblem?: (request: FastifyRequest, error: AppError) => void;
}

/** Paths of the SPA's own pages are served index.html; everything else is an API or protocol. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/**
 * The HTTP platform: Fastify with zod schemas on every route, OpenAPI, problem+json errors,
 * security headers with a strict CSP, request ids, structured logs, body limits, health and
 * metrics, the SPA. Modules add their routes through `register`, after this.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<{ app: App; metrics: HttpMetrics }> {
  const { config, logger } = options;
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    // Behind a reverse proxy, the operator sets HOST and the proxy; we trust only loopback.
    trustProxy: ['127.0.0.1', '::1'],
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : uuidv7();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 200 },
    // JSON bodies with __proto__ / constructor keys are refused rather than sanitised.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Errors raised before routing (a malformed URL, a bad Content-Type header) get a problem too.
    frameworkErrors: (error, request, reply) => {
      if (!request.locale) request.locale = 'fr-FR';
      return sendProblem(request, reply, toAppError(error, config.bodyLimit));
    },
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const allowedMethods = trackRoutes(app);

  await app.register(cookie);
  registerLocale(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where the public URL is https (in production it must be).
    hsts: config.publicUrl.protocol === 'https:' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const metrics = registerMetrics(app, config);
  await registerRateLimit(app, { redisUrl: config.redisUrl, publicUrl: config.publicUrl });
  app.setErrorHandler(errorHandler(logger, config.bodyLimit));
  app.addHook('onError', async () => {});
  const onProblem = options.onProblem;
  if (onProblem) {
    app.decorateRequest('onProblem', null);
    app.addHook('onRequest', async (request) => {
      request.onProblem = (error) => onProblem(request, error);
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const allow = allowedMethods(request.method, request.url);
    if (allow.length > 0) {
      return sendProblem(
        request,
        reply,
        new AppError('method_not_allowed', {
          params: { method: request.method, allow: allow.join(', ') },
          headers: { allow: allow.join(', ') },
        }),
      );
    }
    if (options.webDist && (request.method === 'GET' || request.method === 'HEAD') && isSpaPath(request.url)) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(request, reply, new AppError('not_found'));
  });

  await registerOpenApi(app, config);
  registerHealth(app, options.readiness, (request) => hasOperatorToken(request, config));
  if (options.webDist) await registerSpa(app, options.webDist);

  return { app, metrics };
}

declare module 'fastify' {
  interface FastifyRequest {
    onProblem?: ((error: AppError) => void) | null;
  }
}
