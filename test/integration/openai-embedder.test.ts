import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OpenAiEmbedder, openAiEmbedder } from '../../src/adapters/openai/embedder.js';

/** A local OpenAI-compatible `/v1/embeddings` endpoint that answers in shuffled order. */
let server: Server;
let baseURL: string;
const requests: Array<{ model: string; input: string[]; dimensions?: number; encoding_format?: string }> = [];

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const parsed = JSON.parse(await body(req)) as (typeof requests)[number];
    requests.push(parsed);
    const size = parsed.dimensions ?? 6;
    const data = parsed.input.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: Array.from({ length: size }, (_, k) => (k === text.length % size ? 3 : 0) + 1),
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', model: parsed.model, data: data.reverse(), usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('openAiEmbedder', () => {
  test('probes the size, keeps input order and names host and model in the signature', async () => {
    requests.length = 0;
    const embedder = await openAiEmbedder({ baseURL, apiKey: 'test', model: 'nomic-embed-text', batchSize: 2 });
    expect(embedder.dimensions).toBe(6);
    const port = new URL(baseURL).port;
    expect(embedder.signature).toBe(`openai:127.0.0.1:${port}:nomic-embed-text:d6`);
    const vectors = await embedder.embed(['a', 'bb', 'ccc']);
    expect(vectors.map((v) => v.indexOf(Math.max(...v)))).toEqual([1, 2, 3]);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(requests.map((r) => r.input.length)).toEqual([1, 2, 1]);
    expect(requests.every((r) => r.encoding_format === 'float' && r.dimensions === undefined)).toBe(true);
  });

  test('sends the requested dimensions when given', async () => {
    requests.length = 0;
    const embedder = new OpenAiEmbedder({ baseURL, apiKey: 'test', model: 'text-embedding-3-small', dimensions: 8 });
    const [v] = await embedder.embed(['hello']);
    expect(v).toHaveLength(8);
    expect(requests[0]).toMatchObject({ model: 'text-embedding-3-small', dimensions: 8 });
    const unsent = new OpenAiEmbedder({ baseURL, apiKey: 'test', model: 'ada', dimensions: 8, sendDimensions: false });
    await expect(unsent.embed(['hello'])).rejects.toThrow(/6-dimensional embedding, expected 8/);
  });
});
