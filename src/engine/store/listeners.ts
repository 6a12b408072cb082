import type { Logger } from '../logger.js';
import type { StoreChange } from './store.js';

/** The change subscribers of a store; one failing listener never stops the others or the write. */
export class ChangeListeners {
  private readonly listeners = new Set<(change: StoreChange) => void>();

  add(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: StoreChange, logger?: Pick<Logger, 'warn'>): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        logger?.warn('store change listener failed', { error: String(err) });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
