declare global {
  interface Window {
    /** Texts the display board handed to speech, in order (for tests: headless Chromium has no voices). */
    __spoken?: string[];
  }
}

export interface Utterance {
  readonly text: string;
  readonly lang: 'zh-CN' | 'en-US';
}

/** Longest a call-out may take when the browser never reports its end (no voice installed). */
function fallbackMs(text: string): number {
  return 1500 + text.length * 180;
}

/**
 * Call-outs for the display board: a chime, then each utterance in turn. A new call waits for
 * the previous utterance's `onend` (or a timeout when no voice exists), so calls never cut each
 * other off. Browsers allow audio only after a user gesture: `enable()` must run in a click.
 */
export class Announcer {
  private readonly queue: Utterance[][] = [];
  private busy = false;
  private audio: AudioContext | undefined;
  enabled = false;

  constructor() {
    window.__spoken = window.__spoken ?? [];
  }

  /** Call from a click handler: unlocks Web Audio and speech. */
  enable(): void {
    this.enabled = true;
    try {
      const Ctor = window.AudioContext;
      if (Ctor && !this.audio) this.audio = new Ctor();
      void this.audio?.resume();
    } catch {
      this.audio = undefined;
    }
    // Some browsers unlock speech only with an utterance spoken inside the gesture.
    if ('speechSynthesis' in window) {
      const warmup = new SpeechSynthesisUtterance('');
      warmup.volume = 0;
      window.speechSynthesis.speak(warmup);
    }
  }

  /** Queues one call (one or more utterances spoken back to back after one chime). */
  announce(utterances: readonly Utterance[]): void {
    if (!this.enabled || utterances.length === 0) return;
    this.queue.push([...utterances]);
    if (!this.busy) void this.next();
  }

  get pending(): number {
    return this.queue.length;
  }

  private async next(): Promise<void> {
    const call = this.queue.shift();
    if (!call) {
      this.busy = false;
      return;
    }
    this.busy = true;
    await this.chime();
    for (const u of call) await this.speak(u);
    await this.next();
  }

  /** Two-tone "ding-dong" from an oscillator. */
  private chime(): Promise<void> {
    const ctx = this.audio;
    if (!ctx) return Promise.resolve();
    const tones: [number, number][] = [
      [880, 0],
      [660, 0.35],
    ];
    for (const [freq, at] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = ctx.currentTime + at;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.65);
    }
    return new Promise((resolve) => window.setTimeout(resolve, 1000));
  }

  private speak(u: Utterance): Promise<void> {
    window.__spoken?.push(u.text);
    if (!('speechSynthesis' in window)) return Promise.resolve();
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        window.clearTimeout(timer);
        resolve();
      };
      const timer = window.setTimeout(finish, fallbackMs(u.text));
      const utterance = new SpeechSynthesisUtterance(u.text);
      utterance.lang = u.lang;
      utterance.rate = u.lang === 'zh-CN' ? 0.9 : 0.95;
      const voice = window.speechSynthesis
        .getVoices()
        .find((v) => v.lang.replace('_', '-').startsWith(u.lang.slice(0, 2)));
      if (voice) utterance.voice = voice;
      utterance.onend = finish;
      utterance.onerror = finish;
      window.speechSynthesis.speak(utterance);
    });
  }
}
