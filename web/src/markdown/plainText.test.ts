import { describe, expect, it } from 'vitest';
import { markdownToHtml } from './markdown';
import { markdownToPlainText } from './plainText';

describe('markdownToPlainText', () => {
  it('strips emphasis, headings and link syntax', () => {
    const md =
      '## Refunds\n\nYou can get a **refund** within *7 days*. See [the policy](https://example.com/refund).\n\n- Open `Settings`\n- Tap **Support**\n\n1. one\n2. two';
    expect(markdownToPlainText(md)).toBe(
      'Refunds\n\nYou can get a refund within 7 days. See the policy (https://example.com/refund).\n\n- Open Settings\n- Tap Support\n\n1. one\n2. two',
    );
  });

  it('drops unsafe link targets and raw HTML tags', () => {
    expect(markdownToPlainText('[x](javascript:alert(1)) <b>bold</b>')).toBe('x bold');
  });

  it('keeps Korean text as is', () => {
    expect(markdownToPlainText('**환불**은 7일 이내 가능합니다.')).toBe('환불은 7일 이내 가능합니다.');
  });
});

describe('markdownToHtml (before DOMPurify)', () => {
  it('escapes raw HTML and never emits an <img>', () => {
    const html = markdownToHtml('<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n![a](https://evil.example/x.png)');
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;');
  });
});
