import { describe, expect, test } from 'bun:test'
import { reverseGraphemes } from '../src/reverse'

const NFC_E_ACUTE = '\u00e9' // é as one code point
const NFD_E_ACUTE = 'e\u0301' // e + combining acute accent

describe('reverseGraphemes', () => {
  test.each([
    ['ascii', 'infra', 'arfni'],
    ['ascii with spaces and symbols', 'a b/c?d#e%f+g', 'g+f%e#d?c/b a'],
    ['empty', '', ''],
    ['accents, NFC', `caf${NFC_E_ACUTE}s`, `s${NFC_E_ACUTE}fac`],
    ['accents, NFD: the accent stays on its letter', `caf${NFD_E_ACUTE}s`, `s${NFD_E_ACUTE}fac`],
    ['stacked combining marks', 'a\u0301\u0327b', 'ba\u0301\u0327'],
    ['flags', '🇩🇪🇫🇷🇯🇵', '🇯🇵🇫🇷🇩🇪'],
    ['subdivision flag (tag sequence)', 'x🏴󠁧󠁢󠁳󠁣󠁴󠁿y', 'y🏴󠁧󠁢󠁳󠁣󠁴󠁿x'],
    ['skin tones', 'hi 👋🏽👍🏿', '👍🏿👋🏽 ih'],
    ['ZWJ family', 'a👨‍👩‍👧‍👦b', 'b👨‍👩‍👧‍👦a'],
    ['ZWJ profession with skin tone', '👩🏾‍🚀!', '!👩🏾‍🚀'],
    ['keycap', '1️⃣2️⃣', '2️⃣1️⃣'],
    ['Hangul, precomposed syllables', '한국어', '어국한'],
    ['Hangul, conjoining jamo', '\u1112\u1161\u11ab\u1100\u116e\u11a8', '\u1100\u116e\u11a8\u1112\u1161\u11ab'],
    ['CRLF stays one cluster', 'a\r\nb', 'b\r\na'],
    ['mixed', `Zo${NFD_E_ACUTE} 🇺🇦 한 👨‍👩‍👧`, `👨‍👩‍👧 한 🇺🇦 ${NFD_E_ACUTE}oZ`],
  ])('%s', (_, input, expected) => {
    expect(reverseGraphemes(input)).toBe(expected)
  })

  // Scripts whose clusters are easy to get wrong by eye: each list is the clusters a reader sees, in order.
  test.each([
    ['Devanagari (a conjunct is one cluster)', ['न', 'म', 'स\u094d\u0924\u0947']],
    ['Devanagari with vowel signs', ['ह\u093f', 'न\u094d\u0926\u0940']],
    ['Hebrew with points', ['ש\u05c1\u05b8', 'ל', 'ו\u05b9', 'ם']],
    ['Hangul jamo and syllables mixed', ['\u1112\u1161\u11ab', '글']],
  ])('%s', (_, clusters) => {
    expect(reverseGraphemes(clusters.join(''))).toBe(clusters.toReversed().join(''))
  })

  test('reversing twice gives the input back', () => {
    const text = `x${NFD_E_ACUTE}🇩🇪👨‍👩‍👧‍👦नमस्ते한국어שָׁלוֹם`
    expect(reverseGraphemes(reverseGraphemes(text))).toBe(text)
  })

  test('naive code-point reversal would be wrong for these (the table above is not trivial)', () => {
    const naive = (s: string) => [...s].reverse().join('')
    for (const text of [`e\u0301x`, '🇩🇪🇫🇷', '👨‍👩‍👧', 'नमस्ते']) expect(reverseGraphemes(text)).not.toBe(naive(text))
  })
})
