import { memo, useMemo } from 'react';
import { renderMarkdown } from '../markdown/sanitize';

/** Untrusted markdown, rendered through marked (raw HTML escaped) and a strict DOMPurify allow-list. */
export const Markdown = memo(function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={streaming ? 'md is-streaming' : 'md'} dangerouslySetInnerHTML={{ __html: html }} />;
});
