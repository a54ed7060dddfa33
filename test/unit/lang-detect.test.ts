import { describe, expect, it } from 'vitest';
import { analyzeLanguage, detectLanguage, hasLetters } from '../../src/lang/detect.js';
import type { Language } from '../../src/lang/languages.js';

// [text, expected, why]
const TABLE: [string, Language, string][] = [
  // Korean
  ['환불은 며칠 안에 신청할 수 있나요?', 'ko', 'plain Korean'],
  ['계정 복구', 'ko', 'two Korean nouns, no grammar'],
  ['게임이 자꾸 튕겨요 ㅠㅠ', 'ko', 'Korean with jamo emoticons'],
  ['ㅋㅋㅋ', 'ko', 'jamo only'],
  ['Starfall Blade 환불해주세요', 'ko', 'Korean sentence quoting an English item name'],
  ['Aria 스킨 환불 가능한가요?', 'ko', 'English character name inside Korean'],
  ['SD 환불', 'ko', 'acronym + Korean noun'],
  ['Stardust가 안 들어왔어요', 'ko', 'English name with a Korean particle'],
  ['PC에서 게임이 안 켜져요', 'ko', 'Latin acronym glued to Hangul'],
  ['UID 123456789012 계정 복구 부탁드립니다', 'ko', 'ids are ignored'],
  ['https://starfall.example.com/help 여기 링크가 안 열려요', 'ko', 'URLs are ignored'],
  ['아리아 스킨 환불 가능한가요? It was a gift', 'ko', 'Korean sentence with a short English aside'],
  ['韓國 서버 점검은 언제인가요', 'ko', 'Hanja inside Korean'],
  ['大韓民國 만세', 'ko', 'Hanja-heavy Korean'],
  ['The Ashen Throne 레이드 보상이 안 들어왔습니다', 'ko', 'long English name, Korean grammar'],
  // English
  ['How do I recover my account?', 'en', 'plain English'],
  ['refund', 'en', 'one English word'],
  ['Aria', 'en', 'a name alone'],
  ['How do I get 아리아?', 'en', 'English sentence quoting a Korean name'],
  ['My 스타더스트 disappeared after the update', 'en', 'English sentence with a Korean item name'],
  ['What does ありがとう mean?', 'en', 'English sentence quoting Japanese'],
  ['Ｒｅｆｕｎｄ please', 'en', 'full-width Latin'],
  ['Order #A1234-5678 was charged twice, can you help?', 'en', 'order numbers ignored'],
  ["I can't log in since the 2.3.1 patch", 'en', 'versions ignored'],
  ['Pourquoi mon compte est bloqué?', 'en', 'other Latin-script languages map to en'],
  ["I bought Stardust but didn't receive it, 도와주세요", 'en', 'mostly English, Korean plea at the end'],
  // Japanese
  ['アリアのスキンを返金してください', 'ja', 'kana + kanji'],
  ['返金したいです', 'ja', 'kanji + hiragana'],
  ['スターダスト', 'ja', 'katakana only'],
  ['ｱﾘｱの返金', 'ja', 'half-width katakana'],
  ['Stardustが届きません', 'ja', 'English name inside Japanese'],
  ['アカウント復旧の方法を教えて', 'ja', 'katakana + kanji + hiragana'],
  ['メンテナンスはいつ終わりますか？', 'ja', 'Japanese question'],
  ['課金したのに反映されない', 'ja', 'kanji-heavy but with kana'],
  // Chinese
  ['我想退款', 'zh', 'simplified Chinese'],
  ['退款', 'zh', 'two Han characters'],
  ['東京', 'zh', 'Han only (no kana) is Chinese'],
  ['我的Stardust没有到账', 'zh', 'English name inside Chinese'],
  ['帳號被盜了怎麼辦', 'zh', 'traditional Chinese'],
  ['维护什么时候结束？', 'zh', 'Chinese question'],
  ['为什么我的账号被封了', 'zh', 'Chinese with function characters'],
  ['我想买아리아的皮肤', 'zh', 'Chinese sentence quoting a Korean name'],
];

describe('detectLanguage', () => {
  it('has a table of at least 40 cases', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(TABLE)('%s → %s (%s)', (text, expected) => {
    expect(detectLanguage(text, 'ko')).toBe(expected);
  });

  it('returns the fallback when there are no letters', () => {
    for (const text of ['', '   ', '12345', '!!!', '👍👍', '#1234-5678', 'https://example.com/a1']) {
      expect(detectLanguage(text, 'ja')).toBe('ja');
      expect(hasLetters(text)).toBe(false);
    }
    expect(detectLanguage('12345')).toBe('en');
  });

  it('reports scores, counts and whether the text mixes languages', () => {
    const mixed = analyzeLanguage('Starfall Blade 환불해주세요');
    expect(mixed.language).toBe('ko');
    expect(mixed.mixed).toBe(true);
    expect(mixed.scores.ko).toBeGreaterThan(mixed.scores.en);
    expect(mixed.counts.latinWords).toBe(2);
    const pure = analyzeLanguage('환불');
    expect(pure.mixed).toBe(false);
    expect(pure.confidence).toBe(1);
  });
});
