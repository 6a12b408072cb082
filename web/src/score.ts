import { h } from './dom.js';

/**
 * A search score in words. Scores are fused (BM25 + vectors) and not calibrated probabilities, so
 * the page shows the band with a bar and keeps the number for the tooltip. The cut points follow
 * the engine's calibrated scores: at or above the injection threshold (0.5) a hit is "strong".
 */
export function scoreBand(score: number): { label: 'strong' | 'partial' | 'weak'; fraction: number } {
  const fraction = Math.max(0, Math.min(1, score));
  return { label: score >= 0.5 ? 'strong' : score >= 0.25 ? 'partial' : 'weak', fraction };
}

/** A score as a short bar and a word; the number is in the tooltip (scores are relative, not percentages). */
export function scoreMeter(score: number): HTMLElement {
  const band = scoreBand(score);
  const fill = h('span', { class: 'fill' });
  // CSSOM, not a style attribute: the page's CSP allows no inline style attributes.
  fill.style.width = `${Math.round(band.fraction * 100)}%`;
  return h(
    'span',
    { class: `score-meter ${band.label}`, title: `search score ${score.toFixed(3)}: ${band.label} match`, 'data-score': score.toFixed(3) },
    h('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
    h('span', { class: 'word' }, band.label),
    h('span', { class: 'sr-only' }, ` match, score ${score.toFixed(2)}`),
  );
}
