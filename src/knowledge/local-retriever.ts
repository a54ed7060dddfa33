import path from 'node:path';
import { detectLanguage } from '../lang/detect.js';
import type { Language } from '../lang/languages.js';
import type { LocalIndex, PassageHit } from './local-index.js';
import { toFtsQuery } from './tokenize.js';
import { RetrievalError, type RetrievedDocument, type RetrieveOptions, type Retriever } from './types.js';

export interface SampleQuestion {
  text: string;
  language: Language;
  /** The document the question was taken from. */
  documentId: string;
}

const MAX_LIMIT = 50;

/** Retrieves passages from the local SQLite FTS5 index built by ingestFolder. */
export class LocalRetriever implements Retriever {
  readonly source = 'local' as const;

  constructor(private readonly index: LocalIndex) {}

  /**
   * All query tokens must match; when nothing does, any token may (a natural question carries
   * particles and filler words no document contains), still ranked by bm25.
   */
  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedDocument[]> {
    if (options.signal?.aborted) throw new RetrievalError('cancelled', 'The search was cancelled.');
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 5), 1), MAX_LIMIT);
    const all = toFtsQuery(query, 'and');
    if (all === null) return [];
    try {
      let hits = this.index.search(all, limit);
      if (hits.length === 0) {
        const loose = toFtsQuery(query, 'or');
        if (loose !== null && loose !== all) hits = this.index.search(loose, limit);
      }
      return hits.map(toRetrievedDocument);
    } catch (error) {
      throw new RetrievalError(
        'unavailable',
        `The local knowledge base index (${this.index.file}) cannot be searched; run \`dualnova ingest\` to rebuild it.`,
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  /**
   * Example questions for a welcome screen, each in its document's language: a document's first
   * question-style heading ("## 환불은 언제까지 신청할 수 있나요?"), else one built from its title.
   * Topics are not repeated across languages while other topics remain; with `language`, questions
   * in that language come first.
   */
  sampleQuestions(limit = 5, language?: Language): SampleQuestion[] {
    const wanted = Math.min(Math.max(Math.trunc(limit), 1), 20);
    const candidates = this.index.documents().map((doc) => {
      const lang = detectLanguage(doc.title, detectLanguage(doc.content.slice(0, 500)));
      return {
        text: questionHeading(doc.content) ?? questionFromTitle(doc.title, lang),
        language: lang,
        documentId: doc.id,
        topic: path.posix.basename(doc.id, path.posix.extname(doc.id)),
      };
    });

    const languages = [...new Set(candidates.map((c) => c.language))].sort();
    const queues =
      language === undefined
        ? languages.map((lang) => candidates.filter((c) => c.language === lang))
        : [[...candidates.filter((c) => c.language === language), ...candidates.filter((c) => c.language !== language)]];

    const chosen: typeof candidates = [];
    const topics = new Set<string>();
    // Round-robin over the language queues so a welcome screen shows every language.
    for (let progressed = true; progressed && chosen.length < wanted;) {
      progressed = false;
      for (const queue of queues) {
        if (chosen.length >= wanted) break;
        let next = queue.shift();
        while (next !== undefined && topics.has(next.topic)) next = queue.shift();
        if (next === undefined) continue;
        chosen.push(next);
        topics.add(next.topic);
        progressed = true;
      }
    }
    for (const candidate of candidates) {
      if (chosen.length >= wanted) break;
      if (!chosen.includes(candidate)) chosen.push(candidate);
    }
    return chosen.map(({ text, language: lang, documentId }) => ({ text, language: lang, documentId }));
  }
}

function toRetrievedDocument(hit: PassageHit): RetrievedDocument {
  return {
    id: `${hit.documentId}#${hit.ordinal}`,
    title: hit.title,
    uri: hit.uri,
    // bm25 is negative with lower better; FTS5 keeps it below zero, so the negation is positive.
    score: Math.max(-hit.bm25, Number.MIN_VALUE),
    content: hit.content,
    excerpt: hit.excerpt,
  };
}

function questionHeading(markdown: string): string | undefined {
  for (const match of markdown.matchAll(/^#{2,3}[ \t]+(.+?)[ \t#]*$/gmu)) {
    const heading = match[1]?.trim();
    if (heading !== undefined && /[?？]$/u.test(heading)) return heading;
  }
  return undefined;
}

function questionFromTitle(title: string, language: Language): string {
  switch (language) {
    case 'ko':
      return `${title}에 대해 알려 주세요.`;
    case 'ja':
      return `${title}について教えてください。`;
    case 'zh':
      return `请介绍一下${title}。`;
    default:
      return `Can you tell me about ${title}?`;
  }
}
