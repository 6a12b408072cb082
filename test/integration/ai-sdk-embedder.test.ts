import { MockEmbeddingModelV3, MockEmbeddingModelV4 } from 'ai/test';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AiSdkEmbedder, aiSdkEmbedder } from '../../src/adapters/ai-sdk/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { tempStoreDir } from '../helpers/adapter-fixtures.js';

/** A toy bag-of-words embedding over a fixed vocabulary, so that similar texts get similar vectors. */
const VOCAB = ['report', 'cite', 'source', 'emoji', 'email', 'short', 'code', 'python', 'test', 'chinese'];
function bagOfWords(text: string): number[] {
  const t = text.toLowerCase();
  return VOCAB.map((w) => (t.includes(w) ? 2 : 0) + 0.01);
}

function mockModel(version: 'v3' | 'v4', maxEmbeddingsPerCall = 4) {
  const doEmbed = async ({ values }: { values: string[] }) => ({ embeddings: values.map(bagOfWords), warnings: [] });
  return version === 'v3'
    ? new MockEmbeddingModelV3({ provider: 'mock', modelId: 'bow-v3', maxEmbeddingsPerCall, doEmbed })
    : new MockEmbeddingModelV4({ provider: 'mock', modelId: 'bow', maxEmbeddingsPerCall, doEmbed });
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempStoreDir('ai-sdk-embed'));
});
afterEach(async () => cleanup());

describe('aiSdkEmbedder', () => {
  test.each(['v3', 'v4'] as const)('probes the size, splits by the per-call limit and L2-normalizes (%s)', async (version) => {
    const model = mockModel(version);
    const embedder = await aiSdkEmbedder(model);
    expect(embedder.dimensions).toBe(VOCAB.length);
    expect(embedder.signature).toBe(`ai-sdk:mock:${model.modelId}:d${VOCAB.length}`);
    const texts = Array.from({ length: 9 }, (_, i) => `report ${i} with cite`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(9);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    // 1 probe call, then 9 texts in calls of at most 4.
    expect(model.doEmbedCalls.map((c) => c.values.length)).toEqual([1, 4, 4, 1]);
    expect(await embedder.embed([])).toEqual([]);
  });

  test('a vector of another size is an error, not a silent pad', async () => {
    const embedder = new AiSdkEmbedder(mockModel('v4'), { dimensions: 16 });
    await expect(embedder.embed(['report'])).rejects.toThrow(/10-dimensional embedding, expected 16/);
  });

  test('plugs into the SDK: skills are found through the model and vectors are stored under its signature', async () => {
    const embedder = await aiSdkEmbedder(mockModel('v4'));
    const sdk = await AutoSkill.open({ storeDir: path.join(dir, 's'), embedder, learning: { start: false } });
    try {
      await sdk.upsert(
        { name: 'Cited reports', description: 'Reports cite a source for every claim.', instructions: '# Goal\nReports.\n\n# Constraints & Style\n- Cite a source.', triggers: ['write a report'], tags: ['report'] },
        { owner: 'user:u1' },
      );
      await sdk.upsert(
        { name: 'Python tests', description: 'Write pytest tests for Python code.', instructions: '# Goal\nTests.\n\n# Constraints & Style\n- Use pytest.', triggers: ['write python tests'], tags: ['python', 'test'] },
        { owner: 'user:u1' },
      );
      await sdk.settled();
      const hits = await sdk.search('please cite a source in the report', { userId: 'u1', minScore: 0 });
      expect(hits[0]?.skill.name).toBe('Cited reports');
      expect(sdk.vectorStatus().indexSize).toBe(2);
    } finally {
      await sdk.close();
    }
  });
});
