/**
 * Tells the core to catch up after sleep, screen unlock or a network outage. The relay socket
 * and timers do not survive a suspended laptop reliably, and the owner expects the leads that
 * came in meanwhile the moment they open the lid.
 */
import { net, powerMonitor } from 'electron';
import type { Logger } from '../core/ports';
import { WakeGate } from './pure/wake';

const onlinePollMs = 15_000;

export function watchForWake(wake: (reason: string) => void, logger: Logger): () => void {
  const gate = new WakeGate();
  const fire = (reason: string) => {
    logger.info('waking the core', { reason });
    wake(reason);
  };
  const onResume = () => gate.resumed(Date.now()) && fire('resume');
  const onUnlock = () => gate.resumed(Date.now()) && fire('unlock-screen');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onUnlock);
  gate.online(net.isOnline(), Date.now());
  const timer = setInterval(() => {
    if (gate.online(net.isOnline(), Date.now())) fire('online');
  }, onlinePollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    powerMonitor.off('resume', onResume);
    powerMonitor.off('unlock-screen', onUnlock);
  };
}
