/** The one way refusals built from zod issues name the key and quote the value. */
import { describe, expect, it } from 'vitest';
import { REGION_PATTERN } from '../../src/protocol/function-name.ts';
import { issueKey, quotedValue } from '../../src/protocol/zod-issues.ts';

describe('zod issue texts', () => {
  it('names the key by its dotted path, or (root) for the whole value', () => {
    expect(issueKey(['async', 'retryDelaysMs', 0])).toBe('async.retryDelaysMs.0');
    expect(issueKey([])).toBe('(root)');
  });

  it('quotes the value as JSON, and nothing when there is none', () => {
    expect(quotedValue('staging')).toBe(' (got "staging")');
    expect(quotedValue(0)).toBe(' (got 0)');
    expect(quotedValue(null)).toBe(' (got null)');
    expect(quotedValue(undefined)).toBe('');
  });
});

describe('REGION_PATTERN', () => {
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'us-isob-east-1', 'eusc-de-east-1'])('takes %s', (region) => {
    expect(REGION_PATTERN.test(region)).toBe(true);
  });

  it.each(['US-EAST-1', 'moon-base', 'us-east-1a', 'us-east', ''])('refuses %j', (region) => {
    expect(REGION_PATTERN.test(region)).toBe(false);
  });
});
