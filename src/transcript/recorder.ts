/** Keeps every event of a run, in the order it came: the raw material of a transcript. */
import type { RunEvent, RunEventSink } from '../run/events.js';

export class TranscriptRecorder implements RunEventSink {
  readonly events: RunEvent[] = [];

  emit(event: RunEvent): void {
    this.events.push(event);
  }
}
