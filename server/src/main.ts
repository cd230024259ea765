import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './platform/db/data-dir-lock.ts';
import { createLogger } from './platform/logger.ts';

/** `npm start`: check the runtime, read the configuration, start Entente, stop it cleanly. */
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  console.error(
    `Entente demande Node.js 22 ou plus récent (trouvé ${process.version}) ; lancez-le par « npm start », qui utilise le Node 24 du projet. / ` +
      `Entente needs Node.js 22 or newer (found ${process.version}); start it with "npm start", which uses the project's Node 24.`,
  );
  process.exit(1);
}

// Files Entente creates (databases, keys, objects, the secret) are the server user's alone.
process.umask(0o077);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config);
const started = performance.now();
const { createEntente } = await import('./entente.ts');

let entente: Awaited<ReturnType<typeof createEntente>> | null = null;
try {
  entente = await createEntente({ config, logger });
  const address = await entente.listen();
  logger.info(
    { address, publicUrl: config.publicUrl.href, demo: config.demo, startMs: Math.round(performance.now() - started) },
    'Entente est prête / Entente is ready',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'arrêt en cours / shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await entente?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  // Release what was opened (the lock above all) before saying why we stop.
  await entente?.close();
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(3);
  }
  const message = (error as Error).message;
  console.error(
    `Entente n’a pas pu démarrer / Entente could not start: ${message}\n` +
      'Vérifiez la configuration avec / check the configuration with: npm run entente -- doctor',
  );
  logger.debug({ err: error }, 'start failed');
  process.exit(1);
}
