import { Marked, type Tokens } from 'marked';

/** Escapes text for use inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * Markdown → HTML for untrusted text (model output, knowledge-base passages). Raw HTML in the
 * source is shown as text, images become their alt text (no remote fetches). The result still
 * goes through DOMPurify (see sanitize.ts) before it reaches the DOM.
 */
export const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image) {
      return escapeHtml(token.text);
    },
  },
});

export function markdownToHtml(source: string): string {
  return markdown.parse(source, { async: false });
}
