/**
 * Redaction of secrets and personal data before anything leaves the process (an LLM call) or is
 * persisted (the job journal, a skill). Each match becomes a typed placeholder such as `<EMAIL>`
 * so that the model still sees that *something* was there.
 *
 * Deliberately narrow: ordinary numbers (years, versions, counts, limits such as "200 words") are
 * policy or content, not secrets, and must survive, so every numeric rule here needs a structure
 * (phone layout, Luhn-valid card, dotted quad) before it fires (docs/decisions/narrow-redaction.md).
 */

export type RedactionKind =
  | 'private_key'
  | 'jwt'
  | 'token'
  | 'api_key'
  | 'secret'
  | 'email'
  | 'card'
  | 'phone'
  | 'ip';

export const PLACEHOLDERS: Record<RedactionKind, string> = {
  private_key: '<PRIVATE_KEY>',
  jwt: '<JWT>',
  token: '<TOKEN>',
  api_key: '<API_KEY>',
  secret: '<SECRET>',
  email: '<EMAIL>',
  card: '<CARD>',
  phone: '<PHONE>',
  ip: '<IP>',
};

/** Matches any placeholder this module emits (used to keep them out of learned skills). */
export const PLACEHOLDER_RE = /<(?:PRIVATE_KEY|JWT|TOKEN|API_KEY|SECRET|EMAIL|CARD|PHONE|IP|CREDENTIALS)>/g;

export interface RedactionResult {
  text: string;
  counts: Partial<Record<RedactionKind, number>>;
}

type Replacer = (match: string, ...groups: string[]) => string | undefined;
interface Rule {
  kind: RedactionKind;
  re: RegExp;
  /** return the replacement, or undefined to keep the match (a failed validity check) */
  replace?: Replacer;
}

const KEY_PREFIXES = [
  // OpenAI / Anthropic style, incl. project and admin keys
  String.raw`sk-(?:proj-|ant-(?:api\d\d-|admin\d\d-)?|live-|test-|svcacct-)?[A-Za-z0-9_-]{16,}`,
  // GitHub tokens
  String.raw`gh[pousr]_[A-Za-z0-9]{20,}`,
  String.raw`github_pat_[A-Za-z0-9_]{20,}`,
  // AWS access key ids
  String.raw`(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}`,
  // Google API keys
  String.raw`AIza[0-9A-Za-z_-]{35}`,
  // Slack
  String.raw`xox[abprs]-[A-Za-z0-9-]{10,}`,
  // Stripe
  String.raw`(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`,
  // Hugging Face, GitLab, npm
  String.raw`hf_[A-Za-z0-9]{30,}`,
  String.raw`glpat-[A-Za-z0-9_-]{20,}`,
  String.raw`npm_[A-Za-z0-9]{36}`,
];

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const digitCount = (s: string): number => (s.match(/\d/g) ?? []).length;

/**
 * A long run is a secret only if it looks random: mixed character classes, many distinct chars,
 * and not mostly made of words (file paths, kebab/snake identifiers).
 */
function looksRandom(s: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(s)).length;
  if (classes < 3 || new Set(s).size < 16) return false;
  const words = s.split(/[-_/+.]/).filter((p) => /^[A-Za-z]{3,}$/.test(p));
  const wordChars = words.reduce((n, w) => n + w.length, 0);
  return !(words.length >= 2 && wordChars >= s.length * 0.5);
}

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;

const RULES: Rule[] = [
  {
    kind: 'private_key',
    re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'api_key', re: new RegExp(String.raw`(?<![A-Za-z0-9_-])(?:${KEY_PREFIXES.join('|')})`, 'g') },
  {
    kind: 'token',
    re: /\b(Bearer|Basic|Token)(\s+)([A-Za-z0-9._~+/-]{12,}=*)/gi,
    // "token considerations" is prose; a credential has a digit or looks random
    replace: (m, scheme, space, value) =>
      /\d/.test(value) || looksRandom(value) ? `${scheme}${space}${PLACEHOLDERS.token}` : m,
  },
  {
    // credentials inside URLs: scheme://user:pass@host
    kind: 'secret',
    re: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/:@]{1,256}:[^\s/@]{1,256}@/gi,
    replace: (_m, scheme) => `${scheme}<CREDENTIALS>@`,
  },
  {
    // secrets in query strings
    kind: 'secret',
    re: /([?&](?:access_token|api_key|apikey|key|token|sig|signature|password|secret|auth|client_secret)=)[^&\s#]+/gi,
    replace: (_m, prefix) => `${prefix}${PLACEHOLDERS.secret}`,
  },
  {
    // password: value — any value counts
    kind: 'secret',
    re: /(?<![A-Za-z0-9_])(password|passwd|pwd|passphrase|密码|口令)(\s*[:=：]\s*)("[^"\n]{3,}"|'[^'\n]{3,}'|[^\s"',;，；&<>]{3,})/gi,
    replace: (_m, key, sep) => `${key}${sep}${PLACEHOLDERS.secret}`,
  },
  {
    // token/secret/api key: value — only values that look like keys (have a digit, 8+ chars)
    kind: 'secret',
    re: /(?<![A-Za-z0-9_])(api[_ -]?key|access[_ -]?key|secret(?:[_ -]?key)?|client[_ -]?secret|(?:access|auth|refresh|api)[_ -]?token|token|密钥|令牌)(\s*[:=：]\s*)("[^"\n]{8,}"|'[^'\n]{8,}'|[^\s"',;，；&<>]{8,})/gi,
    replace: (m, key, sep, value) => (/\d/.test(value) ? `${key}${sep}${PLACEHOLDERS.secret}` : m),
  },
  // bounded parts, and a match starts only where a run starts: an unbounded `+` before the `@` rescanned a
  // 50,000-character run from each of its positions (seconds per message)
  { kind: 'email', re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])/g },
  {
    // international: +CC then 7–14 more digits in groups
    kind: 'phone',
    re: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,5}(?![\d])/g,
    replace: (m) => {
      const n = digitCount(m);
      return n >= 8 && n <= 15 ? PLACEHOLDERS.phone : undefined;
    },
  },
  {
    // 13–19 digits, optionally grouped by spaces or dashes, Luhn-valid
    kind: 'card',
    re: /(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d.])/g,
    replace: (m) => {
      const digits = m.replace(/\D/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? PLACEHOLDERS.card : undefined;
    },
  },
  // North American layout: (555) 123-4567, 555-123-4567, 555.123.4567
  { kind: 'phone', re: /(?<![\w.-])(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w.-])/g },
  // Chinese mobile numbers: 13812345678, 138 1234 5678, 138-1234-5678
  { kind: 'phone', re: /(?<!\d)1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})(?!\d)/g },
  // Chinese landlines with area code: 010-12345678, 0755-1234567
  { kind: 'phone', re: /(?<![\d-])0\d{2,3}-\d{7,8}(?![\d-])/g },
  {
    kind: 'ip',
    // not part of a longer dotted run (so version strings like 1.2.3.4.5 or v1.2.3.4 are left alone)
    re: new RegExp(String.raw`(?<![\w.])(?:${OCTET}\.){3}${OCTET}(?![\w]|\.\d)`, 'g'),
  },
  {
    kind: 'ip',
    re: /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?(?![\w:])/g,
    replace: (m) => {
      const groups = m.split(':').filter(Boolean);
      const hex = groups.join('');
      // "std::vector"-like code and short labels are not addresses
      return groups.length >= 3 && /\d/.test(hex) && hex.length >= 6 ? PLACEHOLDERS.ip : undefined;
    },
  },
  {
    // long hex strings: hashes of secrets, API keys, session ids
    kind: 'secret',
    re: /(?<![A-Za-z0-9_-])[0-9a-fA-F]{32,}(?![A-Za-z0-9_-])/g,
    replace: (m) => (/[a-fA-F]/.test(m) && /\d/.test(m) ? PLACEHOLDERS.secret : undefined),
  },
  {
    // long base64/base64url runs that look random
    kind: 'secret',
    re: /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/_=-])/g,
    replace: (m) => (!m.includes('//') && looksRandom(m) ? PLACEHOLDERS.secret : undefined),
  },
];

/** Redact one string and report what was found. */
export function redactText(text: string): RedactionResult {
  const counts: Partial<Record<RedactionKind, number>> = {};
  let out = text;
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (match: string, ...rest: unknown[]) => {
      const groups = rest.filter((g): g is string => typeof g === 'string');
      const replacement = rule.replace ? rule.replace(match, ...groups) : PLACEHOLDERS[rule.kind];
      if (replacement === undefined || replacement === match) return match;
      counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
      return replacement;
    });
  }
  return { text: out, counts };
}

export function redact(text: string): string {
  return redactText(text).text;
}

/** Redact every string value of a JSON-like value (object keys are left as they are). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

/** Remove redaction placeholders from learned text: a skill must never carry them as content. */
export function stripPlaceholders(text: string): string {
  return text
    .replace(PLACEHOLDER_RE, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.;:!?，。；：！？])/g, '$1')
    .trim();
}
