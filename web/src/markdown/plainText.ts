import type { Token, Tokens } from 'marked';
import { markdown } from './markdown';

const SAFE_LINK = /^(?:https?:|mailto:)/i;

function inline(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens.map(inlineToken).join('');
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'link': {
      const link = token as Tokens.Link;
      const text = inline(link.tokens) || link.text;
      const href = link.href.replace(/^mailto:/i, '');
      return SAFE_LINK.test(link.href) && href !== text ? `${text} (${href})` : text;
    }
    case 'image':
      return (token as Tokens.Image).text;
    case 'br':
      return '\n';
    case 'html':
      return (token as Tokens.HTML).text.replace(/<[^>]*>/g, '');
    case 'codespan':
    case 'escape':
      return (token as Tokens.Codespan).text;
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : t.text;
    }
    default:
      if ('tokens' in token && Array.isArray(token.tokens)) return inline(token.tokens);
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
  }
}

function block(token: Token, indent = ''): string {
  switch (token.type) {
    case 'space':
    case 'def':
      return '';
    case 'hr':
      return '';
    case 'code':
      return (token as Tokens.Code).text;
    case 'heading':
    case 'paragraph':
      return inline((token as Tokens.Paragraph).tokens);
    case 'blockquote':
      return blocks((token as Tokens.Blockquote).tokens);
    case 'list': {
      const list = token as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      return list.items
        .map((item, i) => {
          const marker = list.ordered ? `${start + i}. ` : '- ';
          const body = item.tokens
            .map((t) => block(t, indent + '   '))
            .filter(Boolean)
            .join('\n');
          return indent + marker + body;
        })
        .join('\n');
    }
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens)).join(' | ');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    case 'html':
      return (token as Tokens.HTML).text.replace(/<[^>]*>/g, '').trim();
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : t.text;
    }
    default:
      return inlineToken(token);
  }
}

function blocks(tokens: Token[]): string {
  return tokens
    .map((t) => block(t))
    .filter((s) => s.trim() !== '')
    .join('\n\n');
}

/** Markdown → plain text for pasting into a customer reply (no `**`, `#`, link syntax). */
export function markdownToPlainText(source: string): string {
  return blocks(markdown.lexer(source))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
