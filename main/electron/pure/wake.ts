/**
 * When to tell the core to catch up: after the machine resumes or unlocks, and when the network
 * comes back. Electron's main process has no "online" event, so the shell samples
 * net.isOnline(); this turns samples into the offline → online transitions that matter, and
 * collapses bursts (resume, unlock and online often fire within a second of each other).
 */
export class WakeGate {
  private lastOnline: boolean | null = null;
  private lastWakeAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly minGapMs = 5_000) {}

  /** Feed a connectivity sample; true when it is a return to online that should wake the core. */
  online(isOnline: boolean, nowMs: number): boolean {
    const returned = this.lastOnline === false && isOnline;
    this.lastOnline = isOnline;
    return returned && this.admit(nowMs);
  }

  /** A resume/unlock signal; true unless a wake just happened. */
  resumed(nowMs: number): boolean {
    return this.admit(nowMs);
  }

  private admit(nowMs: number): boolean {
    if (nowMs - this.lastWakeAt < this.minGapMs) return false;
    this.lastWakeAt = nowMs;
    return true;
  }
}
