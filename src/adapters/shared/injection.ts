import type { TurnRetrieval } from '../../engine/autoskill.js';

/**
 * What the adapters report about one request's retrieval (AI SDK `providerMetadata.autoskill`,
 * LangChain callbacks): plain JSON, safe to log or send to a client. Type aliases rather than
 * interfaces so they fit JSON-typed slots such as the AI SDK's `providerMetadata`.
 */
export type InjectedSkill = {
  id: string;
  name: string;
  version: string;
  score: number;
  /** the whole skill, or only its summary when the context budget ran out */
  mode: 'full' | 'summary';
};

export type InjectionReport = {
  userId: string;
  skills: InjectedSkill[];
  /** retrieval wall time in ms */
  ms: number;
  timedOut?: boolean;
  error?: string;
  /** the learning job scheduled for this turn, null when none was (policy, or not known in time) */
  jobId?: string | null;
};

export function describeInjection(userId: string, retrieval: TurnRetrieval | undefined): InjectionReport {
  if (!retrieval) return { userId, skills: [], ms: 0 };
  const byId = new Map(retrieval.hits.map((h) => [h.skill.id, h]));
  const skills: InjectedSkill[] = (retrieval.context?.included ?? []).map((inc) => {
    const hit = byId.get(inc.id);
    return {
      id: inc.id,
      name: hit?.skill.name ?? inc.id,
      version: inc.version,
      score: hit ? Math.round(hit.score * 10_000) / 10_000 : 0,
      mode: inc.mode,
    };
  });
  return {
    userId,
    skills,
    ms: retrieval.ms,
    ...(retrieval.timedOut ? { timedOut: true } : {}),
    ...(retrieval.error ? { error: retrieval.error } : {}),
  };
}
