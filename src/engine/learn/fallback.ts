import type { Logger } from '../logger.js';
import type { ExtractionInput, ExtractionOutcome, Extractor } from './extractor.js';
import { OfflineExtractor } from './offline-extractor.js';
import { LlmOutputError } from './structured.js';

/**
 * Extraction with a model that may not do structured output (the chat model used as its own
 * extraction model, `extractionModel: 'self'`): the model is asked first; when it cannot produce
 * the answer, that job falls back to the offline extractor. The first fallback is logged once per
 * process (not once per job: a model that never answers in JSON would otherwise warn on every
 * turn); every fallback is recorded in the job's result (`extractor`, `reason`).
 */

/** An outcome that says which extractor produced it, when that is not the configured one. */
export type AttributedOutcome = ExtractionOutcome & { extractor?: string; fellBack?: boolean };

export class FallbackExtractor implements Extractor {
  readonly kind: Extractor['kind'];
  readonly label: string;
  private readonly offline = new OfflineExtractor();
  private warned = false;

  constructor(
    private readonly primary: Extractor,
    private readonly logger?: Logger,
  ) {
    this.kind = primary.kind;
    this.label = primary.label;
  }

  async extract(input: ExtractionInput, signal?: AbortSignal): Promise<AttributedOutcome> {
    try {
      return await this.primary.extract(input, signal);
    } catch (err) {
      if (signal?.aborted || !LlmOutputError.isInstance(err)) throw err;
      if (!this.warned) {
        this.warned = true;
        this.logger?.warn('the extraction model cannot produce the structured answer; jobs fall back to the offline extractor', {
          model: this.primary.label,
          reason: err.message,
        });
      }
      const outcome = await this.offline.extract(input);
      const why = `${this.primary.label} failed (${err.reason}); offline extractor used`;
      return { ...outcome, reason: outcome.reason ? `${why}: ${outcome.reason}` : why, extractor: `offline (fallback from ${this.primary.label})`, fellBack: true };
    }
  }
}
