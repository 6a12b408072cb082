import { isUnfinished } from './messages.js';

/**
 * Reading an Anthropic SSE stream on the side while its bytes are relayed untouched: a scanner
 * that splits the byte stream into events (the WHATWG event-stream rules: CR, LF or CRLF line
 * ends, `:` comments, one optional space after the colon), and a collector that keeps what the
 * learning loop needs (the answer's text and how it stopped).
 */

/** A line longer than this stops the scan (the relay goes on): a stream we cannot read is not learned from. */
const MAX_PENDING = 8 * 1024 * 1024;

export class SseScanner {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private event = '';
  private data: string[] = [];
  /** the stream could not be read (an oversized line); nothing more is reported */
  broken = false;

  constructor(private readonly onEvent: (event: string, data: string) => void) {}

  push(chunk: Uint8Array): void {
    if (!this.broken) this.feed(this.decoder.decode(chunk, { stream: true }), false);
  }

  end(): void {
    if (!this.broken) this.feed(this.decoder.decode(), true);
  }

  private feed(text: string, final: boolean): void {
    const buf = this.pending + text;
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // A CR at the end of what we have may be the first half of a CRLF.
      if (c === 13 && i === buf.length - 1 && !final) break;
      const line = buf.slice(start, i);
      if (c === 13 && buf.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
      this.line(line);
    }
    this.pending = buf.slice(start);
    if (final && this.pending) {
      this.line(this.pending);
      this.pending = '';
    }
    if (this.pending.length > MAX_PENDING) {
      this.broken = true;
      this.pending = '';
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length) this.onEvent(this.event || 'message', this.data.join('\n'));
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }
}

/** What the learning loop needs from a streamed Messages answer. */
export class MessageStreamCollector {
  private text = '';
  private readonly blockTypes = new Map<number, string>();
  stopReason: string | null = null;
  /** `message_stop` arrived: the answer is complete */
  complete = false;
  /** an `error` event arrived in the stream */
  error: { type: string; message: string } | null = null;

  /** Feed one SSE event (see SseScanner). Unknown events and unparsable data are ignored. */
  add(event: string, data: string): void {
    let v: Record<string, any>;
    try {
      v = JSON.parse(data) as Record<string, any>;
    } catch {
      return;
    }
    switch (typeof v?.type === 'string' ? v.type : event) {
      case 'content_block_start': {
        const block = v.content_block as { type?: unknown; text?: unknown } | undefined;
        if (typeof v.index === 'number' && typeof block?.type === 'string') this.blockTypes.set(v.index, block.type);
        if (block?.type === 'text' && typeof block.text === 'string') this.text += block.text;
        break;
      }
      case 'content_block_delta':
        if (v.delta?.type === 'text_delta' && typeof v.delta.text === 'string' && this.blockTypes.get(v.index) === 'text') this.text += v.delta.text;
        break;
      case 'message_delta':
        if (typeof v.delta?.stop_reason === 'string') this.stopReason = v.delta.stop_reason;
        break;
      case 'message_stop':
        this.complete = true;
        break;
      case 'error':
        this.error = { type: String(v.error?.type ?? 'api_error'), message: String(v.error?.message ?? '') };
        break;
    }
  }

  /** The answer text to learn from: '' unless the answer completed, without error, as a finished turn. */
  get learnable(): string {
    if (!this.complete || this.error || isUnfinished(this.stopReason)) return '';
    return this.text;
  }
}
