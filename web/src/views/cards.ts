import type { Api, JobView } from '../api.js';
import { h, replace } from '../dom.js';
import { libraryOf, ownerLabel } from '../owner.js';
import { scoreMeter } from '../score.js';
import type { ExtractionInfo, RetrievalInfo, UpsertedLite } from '../sessions.js';

/**
 * The two per-turn cards. Retrieval: the query used and the skills injected (with score and
 * version), or plainly "no skill injected". Extraction: the learning job's state, live.
 */

export function retrievalCard(r: RetrievalInfo | null, opts: { pending?: boolean } = {}): HTMLElement {
  const card = h('section', { class: 'card retrieval', 'aria-label': 'Retrieval' });
  const title = h('h3', null, 'Retrieval');
  if (!r) {
    replace(card, title, h('p', { class: 'muted' }, opts.pending ? 'Retrieving skills…' : 'No retrieval data for this turn.'));
    return card;
  }
  const injectedIds = new Set(r.injected.map((i) => i.id));
  // Standing preferences are injected whatever the request: not retrieved, so no score.
  const standing = r.injected.filter((i) => i.standing);
  const standingIds = new Set(standing.map((i) => i.id));
  const injected = r.hits.filter((hit) => injectedIds.has(hit.id) && !standingIds.has(hit.id));
  // An injected skill missing from the hit list (older records) still gets a row.
  for (const i of r.injected) {
    if (!i.standing && !r.hits.some((hit) => hit.id === i.id)) injected.push({ id: i.id, name: i.name ?? i.id, version: i.version, owner: '', score: Number.NaN });
  }
  const others = r.hits.filter((hit) => !injectedIds.has(hit.id));
  const query = h('dl', { class: 'kv' }, h('dt', null, 'Query'), h('dd', { class: 'query' }, r.search_query || r.original_query || '(empty)'));
  if (r.rewritten_query && r.rewritten_query !== r.original_query) {
    query.append(h('dt', null, 'Asked'), h('dd', null, r.original_query));
  }
  const count = injected.length + standing.length;
  const summary = count
    ? h(
        'p',
        { class: 'injected-count' },
        `${count} skill${count === 1 ? '' : 's'} injected`,
        standing.length ? `: ${standing.length} standing, ${injected.length} for this request` : '',
      )
    : h('p', { class: 'no-skill' }, 'No skill injected');
  const standingList = standing.length
    ? h(
        'div',
        { class: 'standing-group' },
        h('h4', { class: 'group-title' }, 'Standing preferences', h('span', { class: 'muted small' }, ' · every turn')),
        h(
          'ul',
          { class: 'hits standing-hits' },
          standing.map((i) =>
            h(
              'li',
              { class: 'hit injected standing' },
              h('a', { href: `#/skills/${encodeURIComponent(i.id)}` }, i.name || i.id),
              h('span', { class: 'pill version' }, `v${i.version}`),
              h('span', { class: 'pill standing', title: 'a standing preference: injected in every conversation, whatever the request' }, 'standing'),
            ),
          ),
        ),
      )
    : null;
  const taskList = injected.length
    ? h(
        'ul',
        { class: 'hits task-hits' },
        injected.map((hit) =>
          h(
            'li',
            { class: 'hit injected' },
            h('a', { href: `#/skills/${encodeURIComponent(hit.id)}` }, hit.name || hit.id),
            h('span', { class: 'pill version' }, `v${r.injected.find((i) => i.id === hit.id)?.version || hit.version}`),
            Number.isNaN(hit.score) ? null : scoreMeter(hit.score),
            libraryOf(hit.owner) !== null ? h('span', { class: 'pill common' }, ownerLabel(hit.owner)) : null,
          ),
        ),
      )
    : null;
  // With standing skills in the card, the matched ones get their own heading so the two read apart.
  const list = standingList && taskList ? h('div', { class: 'task-group' }, h('h4', { class: 'group-title' }, 'Matched this request'), taskList) : taskList;
  const rest = others.length
    ? h(
        'details',
        { class: 'other-hits' },
        h('summary', null, `${others.length} more match${others.length === 1 ? '' : 'es'} (not injected)`),
        h(
          'ul',
          { class: 'hits' },
          others.map((hit) =>
            h('li', { class: 'hit' }, h('a', { href: `#/skills/${encodeURIComponent(hit.id)}` }, hit.name || hit.id), h('span', { class: 'pill version' }, `v${hit.version}`), scoreMeter(hit.score)),
          ),
        ),
      )
    : null;
  const error = r.error ? h('p', { class: 'error', role: 'alert' }, `Retrieval failed (answered without skills): ${r.error}`) : null;
  replace(card, title, query, summary, standingList, list, rest, error);
  return card;
}

const PROGRESS: Record<string, number> = { scheduled: 18, running: 64, completed: 100, failed: 100 };

function skillLine(u: UpsertedLite): HTMLElement {
  // Upstream's records do not say whether a skill was new or merged.
  const verb = u.action === 'created' ? 'Created' : u.action === 'unchanged' ? 'Unchanged' : u.action ? 'Updated' : 'Learned';
  return h(
    'li',
    { class: 'upserted' },
    `${verb} `,
    h('a', { href: `#/skills/${encodeURIComponent(u.id)}` }, u.name || u.id),
    ' ',
    h('span', { class: 'pill version' }, `v${u.version}`),
    u.held ? [' ', h('span', { class: 'pill held', title: 'never injected until you approve it' }, 'held for review'), ' ', h('a', { href: '#/review' }, 'Review')] : null,
  );
}

export function extractionCard(e: ExtractionInfo | null, opts: { note?: string } = {}): HTMLElement {
  const card = h('section', { class: 'card extraction', 'aria-label': 'Extraction' });
  const title = h('h3', null, 'Extraction');
  if (!e) {
    replace(card, title, h('p', { class: 'muted' }, opts.note ?? 'Not scheduled for this turn.'));
    return card;
  }
  const status = h('span', { class: `chip status-${e.status}`, 'data-status': e.status }, e.status);
  const progress = h('progress', { max: 100, value: PROGRESS[e.status] ?? 0, 'aria-label': `extraction ${e.status}` });
  let body: HTMLElement | null = null;
  if (e.status === 'completed') {
    body = e.upserted.length
      ? h('ul', { class: 'upserted-list' }, e.upserted.map(skillLine))
      : h('p', { class: 'muted' }, `Nothing learned${e.reason ? `: ${e.reason}` : '.'}`);
  } else if (e.status === 'failed') {
    body = h('p', { class: 'error' }, `Failed: ${e.error || 'unknown error'}`);
  }
  replace(card, h('div', { class: 'row' }, title, status, h('span', { class: 'muted trigger' }, e.trigger)), progress, body);
  return card;
}

/** A job's state as the card shows it: the skills it wrote, at the versions it wrote. */
export function jobToExtraction(job: JobView, trigger: string): ExtractionInfo {
  const owners = new Map(job.upserted.map((u) => [u.id, u.owner]));
  const held = new Set(job.upserted.filter((u) => u.review === 'pending').map((u) => u.id));
  const written = job.result?.skills ?? [];
  return {
    trigger,
    job_id: job.job_id,
    event_time: job.event_time,
    status: job.status,
    error: job.error ?? '',
    upserted: written.length
      ? written.map((s) => ({ id: s.id, name: s.name, version: s.version, owner: owners.get(s.id) ?? '', action: s.action, ...(held.has(s.id) ? { held: true } : {}) }))
      : job.upserted.map((u) => ({ id: u.id, name: u.name, version: u.version, owner: u.owner, ...(held.has(u.id) ? { held: true } : {}) })),
    ...(job.result?.reason ? { reason: job.result.reason } : {}),
  };
}

/**
 * Follow a job live (SSE) and report each state. Falls back to one plain read when the event
 * stream cannot be opened or ends before the job is final.
 */
export async function followJob(api: Api, jobId: string, trigger: string, onState: (e: ExtractionInfo) => void, signal?: AbortSignal): Promise<ExtractionInfo | null> {
  let last: ExtractionInfo | null = null;
  try {
    for await (const job of api.jobEvents(jobId, signal)) {
      last = jobToExtraction(job, trigger);
      onState(last);
    }
  } catch (err) {
    if (signal?.aborted) return last;
  }
  if (!last || (last.status !== 'completed' && last.status !== 'failed')) {
    try {
      last = jobToExtraction(await api.job(jobId), trigger);
      onState(last);
    } catch {
      // keep the last state we saw
    }
  }
  return last;
}
