import type { RunEvent } from './events';

/** A tiny typed fan-out; listeners that throw are isolated from the runtime and from each other. */
export class EventBus {
  private listeners = new Set<(e: RunEvent) => void>();

  on(cb: (e: RunEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  get active(): boolean {
    return this.listeners.size > 0;
  }

  emit(e: RunEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {}
    }
  }
}
