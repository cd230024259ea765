/**
 * A bench server child stops on SIGTERM, or when its parent goes away (IPC disconnect), so that
 * no server outlives the bench; `close` runs once.
 */
export function stopWhenAsked(close: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}
