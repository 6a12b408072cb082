/**
 * TEST-ONLY scripted "model" for the seed scenarios. It answers our three prompts the way a
 * competent model would for the report-writing conversation: no skill for a one-off request,
 * a skill once the user states rules, the existing skill's identity reused when the reference
 * matches, a merge decision for the same capability, and a merge that unions the rules.
 */
import type { ScriptedCall } from './scripted-llm.js';

const RULES: Array<[RegExp, string]> = [
  [/hallucinat|make things up|invent/i, 'Do not invent facts; say plainly when something is unknown.'],
  [/cite|source/i, 'Cite a source for every factual claim.'],
  [/plain text|markdown/i, 'Use plain text only; no Markdown formatting.'],
  [/rule number (\d+)/i, 'Rule number $1 must always be followed.'],
];

function bullets(prompt: string): string[] {
  return prompt
    .split('\n')
    .filter((l) => l.trim().startsWith('- '))
    .map((l) => l.trim().slice(2));
}

function rulesIn(turns: string[]): string[] {
  const out: string[] = [];
  for (const t of turns) {
    for (const [re, rule] of RULES) {
      const m = re.exec(t);
      if (!m) continue;
      const r = rule.replace('$1', m[1] ?? '');
      if (!out.includes(r)) out.push(r);
    }
  }
  return out;
}

function prompt(rules: string[]): string {
  return `# Goal\nWrite a report on <TOPIC> for the user.\n\n# Constraints & Style\n${rules.map((r) => `- ${r}`).join('\n')}`;
}

export function reportBrain(call: ScriptedCall): string {
  const p = call.payload ?? {};
  if (call.mode === 'extract') {
    const turns = (p.user_turns as string[]) ?? [];
    const rules = rulesIn(turns);
    if (rules.length === 0) return JSON.stringify({ skill: null, reason: 'one-off request without a stated preference' });
    const ref = p.reference_skill as { name: string; title: string } | null;
    return JSON.stringify({
      skill: {
        name: ref?.name ?? 'report-writing',
        title: ref?.title ?? 'Report writing',
        description: 'Writes reports that follow the user\'s standing rules. Use when the user asks for a report on any topic.',
        prompt: prompt(rules),
        triggers: ['write a report', 'draft a report on a topic', 'report for a government audience'],
        tags: ['report', 'writing', 'citations'],
        confidence: 0.8,
      },
      reason: 'the user stated durable rules',
    });
  }
  if (call.mode === 'decide') {
    const existing = (p.existing as Array<{ id: string; scope: string; title: string }>) ?? [];
    const target = existing.find((e) => e.scope === 'user' && /report/i.test(e.title));
    return JSON.stringify(
      target ? { action: 'merge', target_skill_id: target.id, reason: 'same report-writing capability' } : { action: 'add', target_skill_id: null, reason: 'new capability' },
    );
  }
  if (call.mode === 'merge') {
    const ex = p.existing as { title: string; description: string; prompt: string; triggers: string[]; tags: string[] };
    const cd = p.candidate as { prompt: string; triggers: string[]; tags: string[] };
    const rules = [...bullets(ex.prompt)];
    for (const r of bullets(cd.prompt)) if (!rules.includes(r)) rules.push(r);
    return JSON.stringify({
      title: ex.title,
      description: ex.description,
      prompt: prompt(rules),
      triggers: [...new Set([...ex.triggers, ...cd.triggers])].slice(0, 5),
      tags: [...new Set([...ex.tags, ...cd.tags])].slice(0, 6),
    });
  }
  return '{}';
}
