/**
 * The ringtone, synthesised with Web Audio (no file to fetch or cache): the
 * UK double ring, 400+450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
 */
export class Ringtone {
  private context?: AudioContext;
  private timer?: ReturnType<typeof setInterval>;

  start(): void {
    if (this.timer) return;
    try {
      this.context = new AudioContext();
    } catch {
      return; // no audio output: the screen still shows the call
    }
    const ring = () => {
      const ctx = this.context;
      if (!ctx) return;
      for (const offset of [0, 0.6]) {
        const gain = ctx.createGain();
        gain.gain.value = 0.15;
        gain.connect(ctx.destination);
        for (const frequency of [400, 450]) {
          const osc = ctx.createOscillator();
          osc.frequency.value = frequency;
          osc.connect(gain);
          osc.start(ctx.currentTime + offset);
          osc.stop(ctx.currentTime + offset + 0.4);
        }
      }
    };
    ring();
    this.timer = setInterval(ring, 3000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    void this.context?.close().catch(() => {});
    this.context = undefined;
  }
}
