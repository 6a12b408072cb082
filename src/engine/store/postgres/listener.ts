import type pg from 'pg';

/**
 * A LISTEN connection that stays up: on any error or disconnect it reconnects with backoff and
 * then calls `onReconnect`, because notifications sent while it was away are lost for good and
 * the owner has to re-read what it caches. Runs outside the pool (a pooled client cannot be
 * held forever, and LISTEN is per session).
 */
export interface ListenerOptions {
  channel: string;
  connect(): pg.Client;
  onMessage(payload: string): void;
  /** after a reconnect (not after the first connect) */
  onReconnect(): void;
  onError?(err: unknown): void;
}

const MAX_BACKOFF_MS = 5000;

export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private connectedOnce = false;
  private backoff = 100;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.channel)) throw new Error(`invalid channel name ${opts.channel}`);
  }

  /** Connect and LISTEN; rejects if the first connection fails. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = this.opts.connect();
    client.on('notification', (msg) => {
      if (msg.channel === this.opts.channel && msg.payload !== undefined) this.opts.onMessage(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('listen connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.opts.channel}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoff = 100;
    if (this.connectedOnce) this.opts.onReconnect();
    this.connectedOnce = true;
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.opts.onError?.(err);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const delay = this.backoff;
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch((err: unknown) => {
        this.opts.onError?.(err);
        this.schedule();
      });
    }, delay);
    // A reconnect loop alone must not keep the process alive.
    this.timer.unref();
  }

  /** True while the LISTEN session is up (notifications are flowing). */
  get connected(): boolean {
    return this.client !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
