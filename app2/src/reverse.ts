// One segmenter for the whole process: creating an Intl.Segmenter is far slower than using one.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

// Printable ASCII: every character is its own grapheme cluster, so the segmenter can be skipped.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

/**
 * Reverses the user-perceived characters (extended grapheme clusters) of a text: an accent stays on its
 * letter, a flag, a skin tone or an emoji family stays whole, a Devanagari or Hangul syllable stays intact.
 */
export function reverseGraphemes(text: string): string {
  if (PRINTABLE_ASCII.test(text)) {
    let reversed = ''
    for (let i = text.length - 1; i >= 0; i--) reversed += text[i]
    return reversed
  }
  const clusters: string[] = []
  for (const { segment } of graphemes.segment(text)) clusters.push(segment)
  return clusters.reverse().join('')
}
