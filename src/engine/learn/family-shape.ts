/** The shape of a task family (families.ts holds the table). */
export interface TaskFamily {
  key: string;
  /** display label, plural ("Reports") */
  en: string;
  zh: string;
  /** task phrases a user says when they need this kind of work */
  enTriggers: string[];
  zhTriggers: string[];
  /** the family's nouns and verbs (in a request) */
  enRe: RegExp;
  zhRe: RegExp;
  /** also recognised inside a rule ("for my reports", "周报控制在800字以内"); false for nouns that rules use as style words */
  inRules: boolean;
  /** a transformation of given material: wins over the noun it acts on ("summarize this report" is a summary) */
  transform?: boolean;
  /** the broader kind this one is a case of (a regex is code): a rule that names the broader kind is about this one when this one was asked for */
  within?: string;
}

/** An entry of the family tables, typed. */
export const fam = (f: TaskFamily): TaskFamily => f;
