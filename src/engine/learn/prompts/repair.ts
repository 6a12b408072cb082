/**
 * The one-shot "fixer" used when a model answer does not parse or does not match its schema.
 * It sees only the schema, the problems and the draft: enough to reshape an answer, too little
 * to invent a new one.
 */
export const REPAIR_SYSTEM = [
  'You repair a machine-readable answer.',
  'You get a JSON Schema, the problems found in a draft answer, and the draft itself.',
  'Return exactly one JSON value that satisfies the schema and keeps the meaning of the draft.',
  'Rules:',
  '- Reuse the draft\'s content; do not add facts, rules or fields the draft does not contain.',
  '- If a required field cannot be recovered from the draft, use the schema\'s empty or null form when it allows one.',
  '- Lists must be JSON arrays of strings, never a single string.',
  '- Output JSON only: no code fences, no comments, no explanation.',
].join('\n');

export function repairUserMessage(input: {
  schemaName: string;
  jsonSchema: string;
  problems: string[];
  draft: string;
}): string {
  return [
    `SCHEMA NAME: ${input.schemaName}`,
    'JSON SCHEMA:',
    input.jsonSchema,
    '',
    'PROBLEMS:',
    ...input.problems.map((p) => `- ${p}`),
    '',
    'DRAFT:',
    input.draft,
  ].join('\n');
}
