import { findGlossaryTerms } from '../glossary/match.js';
import type { Glossary } from '../glossary/types.js';
import type { RetrievedDocument } from '../knowledge/types.js';
import { analyzeLanguage } from '../lang/detect.js';
import { LANGUAGES, type Language } from '../lang/languages.js';
import { reciprocalRankFusion } from './rrf.js';

/** A document of the local knowledge base, by id (its path, e.g. `en/refund-policy.md`) and title. */
export interface CatalogueDocument {
  id: string;
  title: string;
}

/** Where a lane's passages came from. */
export type LaneDocumentSource =
  /** Passages in the lane's language found by the question itself. */
  | 'own-language'
  /** Found without translation: the same topic's document in the lane's language, or the question's glossary terms in that language. */
  | 'cross-language'
  /** Nothing in the lane's language: the lane quotes passages in another language. */
  | 'other-language'
  | 'none';

export interface LaneDocumentsInput {
  lanes: Language[];
  question: string;
  /** What the search with the question found, best first. */
  documents: RetrievedDocument[];
  glossary: Glossary | null;
  limit: number;
  /** A search of the same knowledge base; failures count as "found nothing". */
  retrieve: (query: string) => Promise<RetrievedDocument[]>;
  catalogue?: CatalogueDocument[] | undefined;
}

export interface LaneDocuments {
  byLane: Partial<Record<Language, RetrievedDocument[]>>;
  sources: Partial<Record<Language, LaneDocumentSource>>;
}

const languageCache = new Map<string, Language | null>();

/** The language a passage is written in (title and opening), or null when it has no letters. */
export function documentLanguage(doc: RetrievedDocument): Language | null {
  const key = `${doc.id}\u0000${doc.content.length}`;
  const cached = languageCache.get(key);
  if (cached !== undefined) return cached;
  const language = analyzeLanguage(`${doc.title}\n${doc.content.slice(0, 600)}`).language;
  if (languageCache.size > 5000) languageCache.clear();
  languageCache.set(key, language);
  return language;
}

/**
 * Ids the same document would have in another language folder: `en/refund.md` → `ko/refund.md`,
 * also `refund.en.md` → `refund.ko.md` and `refund_en.md` → `refund_ko.md`.
 */
export function siblingIds(documentId: string, language: Language): string[] {
  const codes = LANGUAGES.join('|');
  const candidates = new Set<string>();
  const segments = documentId.split('/');
  segments.forEach((segment, i) => {
    if ((LANGUAGES as readonly string[]).includes(segment.toLowerCase())) {
      const copy = [...segments];
      copy[i] = language;
      candidates.add(copy.join('/'));
    }
  });
  const file = new RegExp(`([._-])(${codes})(\\.[^./]+)$`, 'iu');
  if (file.test(documentId)) candidates.add(documentId.replace(file, `$1${language}$3`));
  candidates.delete(documentId);
  return [...candidates];
}

const baseId = (passageId: string) => passageId.split('#')[0] ?? passageId;

/**
 * Offline mode cannot translate, so it answers each lane from passages written in that lane's
 * language: first those the question found; failing that, the same topic's document in the lane's
 * language (a parallel `ko/…` / `en/…` file) and a search with the question's glossary terms in
 * that language, merged by reciprocal rank fusion; failing that, the question's own passages.
 */
export async function documentsPerLane(input: LaneDocumentsInput): Promise<LaneDocuments> {
  const byLane: LaneDocuments['byLane'] = {};
  const sources: LaneDocuments['sources'] = {};
  await Promise.all(
    input.lanes.map(async (lane) => {
      const own = input.documents.filter((doc) => documentLanguage(doc) === lane);
      if (own.length > 0) {
        byLane[lane] = own.slice(0, input.limit);
        sources[lane] = 'own-language';
        return;
      }
      const cross = await crossLanguage(input, lane);
      if (cross.length > 0) {
        byLane[lane] = cross;
        sources[lane] = 'cross-language';
        return;
      }
      byLane[lane] = input.documents.slice(0, input.limit);
      sources[lane] = input.documents.length > 0 ? 'other-language' : 'none';
    }),
  );
  return { byLane, sources };
}

async function crossLanguage(input: LaneDocumentsInput, lane: Language): Promise<RetrievedDocument[]> {
  const search = async (query: string): Promise<RetrievedDocument[]> => {
    if (query.trim() === '') return [];
    try {
      return (await input.retrieve(query)).filter((doc) => documentLanguage(doc) === lane);
    } catch {
      return [];
    }
  };

  const catalogue = new Map((input.catalogue ?? []).map((doc) => [doc.id, doc]));
  const siblings: CatalogueDocument[] = [];
  for (const doc of input.documents) {
    for (const id of siblingIds(baseId(doc.id), lane)) {
      const sibling = catalogue.get(id);
      if (sibling && !siblings.includes(sibling)) siblings.push(sibling);
    }
  }
  const glossaryQuery = input.glossary
    ? findGlossaryTerms(input.glossary, input.question)
        .map((o) => o.entry.names[lane])
        .filter((name): name is string => name !== undefined)
        .join(' ')
    : '';

  const [siblingHits, glossaryHits] = await Promise.all([
    Promise.all(
      siblings.map(async (sibling) => (await search(`${sibling.title} ${glossaryQuery}`)).filter((doc) => baseId(doc.id) === sibling.id)),
    ),
    search(glossaryQuery),
  ]);
  // A sibling's passages first (its title search, then the glossary search restricted to it), then the glossary search.
  const siblingPassages = siblingHits.flat();
  return reciprocalRankFusion([siblingPassages, glossaryHits], { limit: input.limit });
}
