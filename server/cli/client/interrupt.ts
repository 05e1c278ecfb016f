// Ctrl-C for a command that waits: the first one asks to stop cleanly (abort the run, close the
// stream), a second one exits at once with 130.
export function onInterrupt(stop: () => void): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) stop();
    else process.exit(130);
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
