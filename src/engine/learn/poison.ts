/**
 * A learned skill is injected into later system prompts, so whatever a conversation says can try
 * to become a standing instruction (memory poisoning, OWASP ASI06). Before a learned candidate is
 * saved it is scanned for the shapes such attacks take; a flagged candidate is held for review
 * instead of going live.
 *
 * What is flagged, in English and Chinese:
 *  - instruction override: "ignore (all) previous instructions", "disregard the system prompt",
 *    "you are now …", "reveal your system prompt", "忽略之前的指令", "无视系统提示";
 *  - exfiltration: sending, posting or uploading the user's files, keys, passwords, conversation or
 *    data somewhere, and any URL or e-mail address (a preference about how to answer never needs
 *    one; a link in a learned rule is how data leaves);
 *  - tool or code execution requests: "call the … tool", "run this command", `curl`, `rm -rf`,
 *    shell pipes into an interpreter;
 *  - hidden text: zero-width or bidirectional control characters.
 * Each finding names its kind and the matched text, so a reviewer sees why.
 *
 * The patterns are deliberately about structure ("ignore … instructions", "send … to <url>")
 * rather than a list of known attack strings, so rephrasings are caught; they are anchored on
 * words that a real style or quality preference has no reason to contain.
 */

import { withReview } from '../skill/review.js';

export type PoisonKind = 'override' | 'exfiltration' | 'link' | 'tool' | 'hidden-text';

export interface PoisonFinding {
  kind: PoisonKind;
  /** the matched text, shortened */
  match: string;
}

const EN_OVERRIDE = new RegExp(
  [
    String.raw`\b(?:ignore|disregard|forget|override|bypass|drop)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|system|developer|original|all|any|other|safety)\b[^.!?\n]{0,30}\b(?:instructions?|prompts?|rules?|guidelines?|messages?|polic(?:y|ies)|guardrails?|restrictions?)`,
    String.raw`\b(?:reveal(?:s|ed|ing)?|print(?:s|ed|ing)?|show(?:s|ed|ing|n)?|repeat(?:s|ed|ing)?|output(?:s|ting)?|leak(?:s|ed|ing)?|dump(?:s|ed|ing)?|display(?:s|ed|ing)?|recit(?:e|es|ed|ing))\b[^.!?\n]{0,30}\b(?:system|developer|hidden|initial)\s+(?:prompt|instructions?|message)`,
    String.raw`\byou are (?:now|no longer)\b`,
    String.raw`\b(?:act|pretend|behave) as (?:if you (?:were|are) )?(?:an? )?(?:unrestricted|jailbroken|uncensored|dan)\b`,
    String.raw`\b(?:developer|god|jailbreak|dan) mode\b`,
    String.raw`\bdo anything now\b`,
    String.raw`\btreat\b[^.!?\n]{0,30}\b(?:system|developer)\s+(?:message|prompt|instructions?)\b[^.!?\n]{0,20}\b(?:as )?(?:obsolete|void|outdated|invalid|irrelevant|null|superseded|optional)\b`,
    String.raw`\b(?:answer|respond|reply|act|comply)\b[^.!?\n]{0,20}\bwithout (?:any )?(?:restrictions?|limits?|limitations|filters?|rules|guardrails|safety|censorship)\b`,
    String.raw`\b(?:print|repeat|output|copy|copie|recit|echo|reproduc|dump|quot)\w*\b[^.!?\n]{0,30}\b(?:everything|all (?:the )?(?:text|content|messages)|the (?:text|content|messages))\b[^.!?\n]{0,20}\b(?:above|before|preceding|earlier)\b`,
  ].join('|'),
  'i',
);

const ZH_OVERRIDE = new RegExp(
  [
    '(?:忽略|无视|忘记|忘掉|不要理会|绕过|跳过)(?:掉)?.{0,12}(?:之前|以上|上面|先前|原来|原有|系统|开发者|所有|全部|任何|安全)?.{0,6}(?:指令|指示|提示词?|规则|设定|限制|要求)',
    '(?:泄露|输出|显示|打印|告诉我|重复).{0,10}(?:系统|开发者|隐藏|初始)(?:提示词?|指令|消息)',
    '你现在(?:是|扮演)(?:一个)?(?:不受限制|没有限制|越狱)',
    '(?:开发者|越狱)模式',
    '(?:原样|一字不差地?|逐字)(?:地)?(?:复述|输出|重复|打印|显示|贴出).{0,12}(?:上面|以上|之前|前面)',
    '把(?:上面|以上|之前|前面).{0,10}(?:内容|文字|消息|指令).{0,8}(?:原样|一字不差|逐字)?(?:地)?(?:复述|输出|重复|打印|贴出)',
    '(?:不受|没有|无视)(?:任何)?(?:限制|约束|规则)地?(?:回答|回复|输出)',
    '(?:系统|开发者)(?:消息|提示词?|指令).{0,6}(?:作废|失效|过时|无效)',
  ].join('|'),
);

const EN_EXFIL = new RegExp(
  String.raw`\b(?:send|post|upload|forward|email|e-mail|transmit|exfiltrate|leak|sync|copy)\b[^.!?\n]{0,40}\b(?:(?:(?:the )?users?'?s?|all|their|private|personal|local|every)\s+(?:files?|documents?|data|messages?|conversations?|history|contacts?|photos?)|api[- ]?keys?|access tokens?|tokens?|passwords?|credentials?|secrets?|private keys?|ssh keys?|cookies?|session ids?|env(?:ironment)? vars?|environment variables|chat (?:history|logs?)|conversation history)\b[^.!?\n]{0,60}\b(?:to|into|at|via)\b`,
  'i',
);
/** a user's secrets put into an answer, unless the rule forbids it ("never include API keys") */
const EN_SECRET_OUT = new RegExp(
  String.raw`(?<!\b(?:never|not|n't|no|avoid|without|stop|don'?t)\b[^.!?\n]{0,24})\b(?:include|append|attach|insert|add|print|show|output|paste|reveal|list|put)\b[^.!?\n]{0,40}\b(?:(?:the )?contents? of\s+\S*(?:ssh|id_rsa|\.env|passwd|credentials|keychain)|(?:the )?users?'?s? (?:api[- ]?keys?|passwords?|credentials?|access tokens?|secrets?|private keys?)|(?:my|their|his|her) (?:api[- ]?keys?|passwords?|credentials?|secrets?|private keys?))`,
  'i',
);
/** places secrets live: a style preference never names them */
const SECRET_PATH = /~\/\.ssh\b|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\/etc\/(?:passwd|shadow)\b|\.aws\/credentials\b|\.git-credentials\b/i;
const ZH_SECRET = '(?:(?:用户|所有|全部|私人|本地|我)的?(?:文件|资料|数据|照片|联系人)|密钥|密码|令牌|凭证|聊天记录|对话记录|历史记录|隐私|cookie)';
const ZH_EXFIL = new RegExp(
  `(?:发送|上传|转发|传到|发到|提交|泄露|同步)(?:给|到)?.{0,20}${ZH_SECRET}|把.{0,12}${ZH_SECRET}.{0,10}(?:发送|上传|转发|传|发|提交|同步|泄露)(?:到|给|至)`,
  'i',
);

const LINK = /!\[[^\]]*\]\([^)\s]+|\bhxxps?:\/\/\S+|\b(?:https?|ftp|file|data|javascript):\/?\/?[^\s)]+|\bwww\.[a-z0-9-]+\.[a-z]{2,}\S*|\b[\w.+-]+@[\w-]+\.[\w.-]{2,}\b/i;

const EN_TOOL = new RegExp(
  [
    String.raw`\b(?:call|invoke|use|run|execute|trigger)\b[^.!?\n]{0,20}\b(?:the\s+)?[\w-]+\s+(?:tool|function|plugin|api|endpoint)\b`,
    String.raw`\b(?:run|execute|eval(?:uate)?)\b[^.!?\n]{0,20}\b(?:this|the following|these)\s+(?:command|script|code|shell)`,
    String.raw`\b(?:curl|wget|powershell|bash -c|sh -c|nc -e|rm -rf|chmod \+x)\b`,
    String.raw`\|\s*(?:ba|z)?sh\b`,
  ].join('|'),
  'i',
);
// within one clause: "提高运行的速度，并给出代码注释" is about speed and comments, not a request to run code
const ZH_TOOL = /(?:调用|执行|运行)[^，,。；;！!？?\n]{0,10}(?:工具|函数|插件|接口|命令|脚本|代码)/;

// zero-width (U+200B–U+200F), bidi embeddings/overrides (U+202A–U+202E), isolates (U+2066–U+2069), BOM
const HIDDEN = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

const CHECKS: Array<[PoisonKind, RegExp]> = [
  ['override', EN_OVERRIDE],
  ['override', ZH_OVERRIDE],
  ['exfiltration', EN_EXFIL],
  ['exfiltration', ZH_EXFIL],
  ['exfiltration', EN_SECRET_OUT],
  ['exfiltration', SECRET_PATH],
  ['link', LINK],
  ['tool', EN_TOOL],
  ['tool', ZH_TOOL],
  ['hidden-text', HIDDEN],
];

/** Texts longer than this are scanned in their first part only: a learned rule is short. */
const MAX_SCAN_CHARS = 50_000;

/**
 * The text as the eye reads it: compatibility forms (full-width letters), accents and the Latin
 * lookalikes of other scripts folded, so "iɡnore", "prévious" or a Cyrillic "і" read as ASCII.
 */
const LOOKALIKE: Record<string, string> = {
  'ɡ': 'g', 'ı': 'i', 'ł': 'l', 'ø': 'o', 'đ': 'd', 'ſ': 's',
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ԁ': 'd', 'ѕ': 's', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v',
  'А': 'A', 'Е': 'E', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'І': 'I', 'Ѕ': 'S', 'М': 'M', 'Н': 'H', 'К': 'K', 'В': 'B',
  'ο': 'o', 'α': 'a', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'ι': 'i', 'κ': 'k', 'χ': 'x', 'ε': 'e', 'υ': 'u', 'Ο': 'O', 'Α': 'A', 'Ε': 'E', 'Ι': 'I', 'Κ': 'K', 'Τ': 'T',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKE).join('')}]`, 'g');

export function foldConfusables(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/\u00AD/g, '')
    .replace(LOOKALIKE_RE, (c) => LOOKALIKE[c]!)
    .normalize('NFC');
}

function shorten(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

/** Scan texts (a candidate's fields) for memory-poisoning shapes; one finding per kind at most. */
export function scanForPoison(texts: ReadonlyArray<string | undefined>): PoisonFinding[] {
  const findings = new Map<PoisonKind, PoisonFinding>();
  for (const raw of texts) {
    if (!raw) continue;
    const text = raw.length > MAX_SCAN_CHARS ? raw.slice(0, MAX_SCAN_CHARS) : raw;
    const normal = foldConfusables(text);
    for (const [kind, re] of CHECKS) {
      if (findings.has(kind)) continue;
      const m = re.exec(kind === 'hidden-text' ? text : normal);
      if (m) findings.set(kind, { kind, match: kind === 'hidden-text' ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : shorten(m[0]) });
    }
  }
  return [...findings.values()];
}

/** The fields of a learned skill that end up in a prompt. */
export function scanSkillText(s: {
  name: string;
  description: string;
  instructions: string;
  triggers: readonly string[];
  examples?: ReadonlyArray<{ input: string; output?: string | undefined }>;
  files?: Readonly<Record<string, string>>;
}): PoisonFinding[] {
  return scanForPoison([
    s.name,
    s.description,
    s.instructions,
    ...s.triggers,
    ...(s.examples ?? []).flatMap((e) => [e.input, e.output]),
    ...Object.values(s.files ?? {}),
  ]);
}

export function poisonSummary(findings: readonly PoisonFinding[]): string {
  return findings.map((f) => `${f.kind}: "${f.match}"`).join('; ');
}

/**
 * Kinds that hold a skill written by other means than learning (an import, an edit, an agent's
 * save_skill): links and commands are common in hand-written skills and library skills, attempts to
 * override instructions or send data away and hidden characters are not.
 */
const HOSTILE: ReadonlySet<PoisonKind> = new Set(['override', 'exfiltration', 'hidden-text']);

/** The metadata that holds `skill` for review when its text is hostile (see HOSTILE); undefined when it is not. */
export function heldForReview(skill: Parameters<typeof scanSkillText>[0] & { metadata: Record<string, string> }): Record<string, string> | undefined {
  const findings = scanSkillText(skill).filter((f) => HOSTILE.has(f.kind));
  return findings.length === 0 ? undefined : withReview(skill.metadata, true, `held for review: ${poisonSummary(findings)}`);
}
