/**
 * Speech for the spoken summary of a finished task (src/tasks/control/task-summary.ts):
 * an engine on this machine turns OpenJules's own text into a WAV file. It
 * never speaks repository content, so it runs outside the sandbox.
 */
export interface SpeechEngine {
  /** The engine and its version as it reports them, e.g. "espeak-ng 1.51". */
  readonly engine: string;
  /** The text spoken, as WAV bytes; rejects when the engine fails, takes too long or writes too much. */
  speak(text: string): Promise<Uint8Array>;
}

/** Finds the engine once (later calls answer the same); null when none is installed or speech is off (JULES_TTS=off). */
export type SpeechFinder = () => Promise<SpeechEngine | null>;
