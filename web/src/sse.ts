/**
 * Server-sent events over `fetch` (not `EventSource`): fetch can send the API key header and POST
 * bodies, and it lets us stop reading at any time. The parser follows the SSE rules we need:
 * `event:`, multi-line `data:`, comment lines (`: ...`) kept as their own kind because the chat
 * proxy reports the learning job id in one.
 */

export interface SseMessage {
  /** `message` unless an `event:` line named it; `comment` for comment lines */
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private event = 'message';
  private data: string[] = [];

  /** Feed text; returns the messages completed by it. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (this.buffer[nl] === '\r' && width === 1 && nl === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(nl + width);
      this.line(line, out);
    }
    return out;
  }

  /** End of stream: a final message without its blank line still counts. */
  flush(): SseMessage[] {
    const out: SseMessage[] = [];
    if (this.buffer) this.line(this.buffer, out);
    this.buffer = '';
    this.line('', out);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length) out.push({ event: this.event, data: this.data.join('\n') });
      this.event = 'message';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) {
      out.push({ event: 'comment', data: line.slice(1).trim() });
      return;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') this.event = value || 'message';
    else if (name === 'data') this.data.push(value);
  }
}

/** Read a streaming response body as SSE messages. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    yield* parser.flush();
  } finally {
    // Stopped early (the caller broke out): cancel, so the server sees the client leave.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
