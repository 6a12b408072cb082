import { describe, expect, it } from 'vitest';
import { redact, redactDeep, redactText, stripPlaceholders } from '../../src/engine/learn/redact.js';

describe('redaction', () => {
  it.each([
    ['mail me at jane.doe+work@example.co.uk please', 'mail me at <EMAIL> please'],
    ['key sk-proj-AbCdEf0123456789GhIjKl done', 'key <API_KEY> done'],
    ['anthropic sk-ant-api03-abcdefghijklmnop_QRSTUV', 'anthropic <API_KEY>'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'token <API_KEY>'],
    ['aws AKIAIOSFODNN7EXAMPLE here', 'aws <API_KEY> here'],
    ['Authorization: Bearer abc123def456ghi789', 'Authorization: Bearer <TOKEN>'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt <JWT>'],
    ['sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 end', 'sha <SECRET> end'],
    ['password: hunter22', 'password: <SECRET>'],
    ['api_key=Zx81kQ0pLm2', 'api_key=<SECRET>'],
    ['我的密码：abc12345 别告诉别人', '我的密码：<SECRET> 别告诉别人'],
    ['https://admin:s3cret@db.example.com/x', 'https://<CREDENTIALS>@db.example.com/x'],
    ['https://api.example.com/v1?token=abc123&x=1', 'https://api.example.com/v1?token=<SECRET>&x=1'],
    ['call +1 415 555 0132 now', 'call <PHONE> now'],
    ['call (415) 555-0132 now', 'call <PHONE> now'],
    ['手机 13812345678 联系', '手机 <PHONE> 联系'],
    ['电话 010-12345678', '电话 <PHONE>'],
    ['card 4111 1111 1111 1111 ok', 'card <CARD> ok'],
    ['card 4111111111111111 ok', 'card <CARD> ok'],
    ['server 192.168.1.20 is down', 'server <IP> is down'],
    ['v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up', 'v6 <IP> up'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'In 2024 we shipped version 1.2.3 and node 24.21.0.',
    'Keep it under 200 words and use at most 3 bullet points.',
    'Dates like 2024-05-01 and 12/31/2025 are content, not secrets.',
    'The budget was 1500000 dollars; order #12345 arrived.',
    'version 1.2.3.4.5 of the tool, see std::vector and a::b',
    'Use report-writing-with-citations-and-plain-text as the slug.',
    'See docs/Guide2024/IntroductionToTheSystem/chapter-one.md',
    'Token considerations matter for LLM prompts.',
    '第3章共有1200字，2025年发布。',
  ])('leaves ordinary text alone: %s', (input) => {
    expect(redact(input)).toBe(input);
  });

  it('does not flag a non-Luhn 16-digit number as a card', () => {
    expect(redact('id 1234567812345678')).toBe('id 1234567812345678');
  });

  it('counts what it found', () => {
    const r = redactText('a@b.io and c@d.io, key sk-abcdefghijklmnopqrstu');
    expect(r.counts).toEqual({ email: 2, api_key: 1 });
  });

  it('redacts every string in nested values but not keys', () => {
    const v = redactDeep({ 'user@x.com': ['reach me at user@x.com'], n: 5, nested: { phone: '+44 20 7946 0958' } });
    expect(v).toEqual({ 'user@x.com': ['reach me at <EMAIL>'], n: 5, nested: { phone: '<PHONE>' } });
  });

  it('strips placeholders from learned text', () => {
    expect(stripPlaceholders('Send it to <EMAIL> , always.')).toBe('Send it to, always.');
  });
});
