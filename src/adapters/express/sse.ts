import type { Socket } from 'node:net';
import type { Response } from 'express';

/**
 * Server-sent events: headers that defeat proxy buffering, writes that respect back-pressure
 * (a slow client must not make us buffer a whole answer in memory), and a registry so that a
 * graceful shutdown can end long-lived event streams instead of waiting for them forever.
 */

export function startSse(res: Response, headers: Record<string, string> = {}): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-store');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.socket?.setNoDelay(true);
  res.flushHeaders();
}

/**
 * Write and wait for the socket to drain when its buffer is full. Resolves false once the client is gone.
 * Frames written in one turn of the event loop (the events of one upstream read) leave in one
 * socket write: the socket is corked until the next tick. A write per frame cost a system call
 * each and was most of what a relayed stream cost beyond a plain answer.
 */
export function write(res: Response, text: string | Uint8Array): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  // The socket, not the response: a response corked across its end() loses the buffered chunks.
  const socket = res.socket;
  if (socket && !socket.writableCorked) {
    socket.cork();
    process.nextTick(uncork, socket);
  }
  if (res.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

function uncork(socket: Socket): void {
  socket.uncork();
}

export function dataFrame(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function eventFrame(event: string, data: unknown): string {
  return `event: ${event}\n${dataFrame(data)}`;
}

/** A comment line: ignored by SSE parsers (the openai client included), handy for metadata and keep-alives. */
export function commentFrame(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

export const DONE_FRAME = 'data: [DONE]\n\n';

/** Open event streams, so shutdown can end them. */
export class SseRegistry {
  private readonly open = new Set<() => void>();

  /** Register a stream's closer; returns the unregister function. */
  track(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const close of [...this.open]) close();
    this.open.clear();
  }
}
