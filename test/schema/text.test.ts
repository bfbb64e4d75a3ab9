// The shared text field types (schema/text.ts): one-line fields refuse control characters,
// line separators and bidi controls; multi-line fields take newlines and tabs only; handles
// are 1–200 characters. publishInput applies them to every field and names the field.
import { describe, expect, it } from 'vitest';
import { publishInput } from '../../src/schema/context.js';
import { developerHandle, multiLineText, singleLineText } from '../../src/schema/text.js';

// prettier-ignore
const REFUSED_IN_A_LINE = [
  // C0/C1 controls and DEL, then line separators and bidi controls
  '\x1b', '\x07', '\x08', '\r', '\n', '\t', '\x00', '\x7f', '\x85', '\x9b',
  '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069',
];

describe('singleLineText', () => {
  const line = singleLineText({ max: 10 });
  it('refuses each control character, separator and bidi control inside the text', () => {
    for (const char of REFUSED_IN_A_LINE) {
      const res = line.safeParse(`a${char}b`);
      expect(res.success, JSON.stringify(char)).toBe(false);
      expect(res.error?.issues[0]?.message).toMatch(/position 2/);
    }
  });
  it('trims, then takes any other unicode', () => {
    expect(line.parse('  héllo 😀\n')).toBe('héllo 😀');
    expect(line.parse('שלום')).toBe('שלום');
    expect(line.safeParse('x'.repeat(11)).success).toBe(false);
  });
});

describe('multiLineText', () => {
  const block = multiLineText();
  it('takes newlines and tabs, turns CRLF into LF, refuses a lone CR and the rest', () => {
    expect(block.parse('one\r\n\ttwo\nthree')).toBe('one\n\ttwo\nthree');
    for (const char of REFUSED_IN_A_LINE.filter((c) => c !== '\n' && c !== '\t')) {
      expect(block.safeParse(`a${char}b`).success, JSON.stringify(char)).toBe(false);
    }
  });
});

describe('developerHandle', () => {
  it('is one line of 1 to 200 characters', () => {
    expect(developerHandle.parse(' alice@example.com ')).toBe('alice@example.com');
    expect(developerHandle.safeParse('').success).toBe(false);
    expect(developerHandle.safeParse('   ').success).toBe(false);
    expect(developerHandle.safeParse('y'.repeat(200)).success).toBe(true);
    expect(developerHandle.safeParse('y'.repeat(201)).success).toBe(false);
    expect(developerHandle.safeParse('bob\x1b[31m').success).toBe(false);
  });
});

describe('publishInput', () => {
  it('names the field that holds a refused character', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'a\x1bb' }, 'title'],
      [{ title: 'ok', summary: 'clear\x1b[2J' }, 'summary'],
      [{ title: 'ok', files_touched: ['a.ts', 'b\n.ts'] }, 'files_touched.1'],
      [{ title: 'ok', next_actions: ['\u202e'] }, 'next_actions.0'],
      [{ title: 'ok', blockers: ['\x07'] }, 'blockers.0'],
      [{ title: 'ok', task_ids: ['\x9b'] }, 'task_ids.0'],
      [{ title: 'ok', session_id: 's\rid' }, 'session_id'],
      [{ title: 'ok', branch: 'b\u2066' }, 'branch'],
    ];
    for (const [input, path] of cases) {
      const res = publishInput.safeParse(input);
      expect(res.success, path).toBe(false);
      expect(res.error?.issues[0]?.path.join('.')).toBe(path);
    }
    expect(publishInput.parse({ title: 'ok', summary: 'line one\n\tline two' }).summary).toBe('line one\n\tline two');
  });
});
