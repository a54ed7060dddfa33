import { memo, useMemo } from 'react';
import { renderMarkdown } from '../markdown/sanitize';

/** Untrusted markdown, rendered through marked (raw HTML escaped) and a strict DOMPurify allow-list. */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
  lang,
}: {
  text: string;
  streaming?: boolean;
  lang?: string | undefined;
}) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={streaming ? 'md is-streaming' : 'md'} lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
});
