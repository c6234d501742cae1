// The baselines' version of app2's job: reverse a message by grapheme, with a reused Intl.Segmenter.
const segmenter = new Intl.Segmenter()
const printableAscii = /^[\x20-\x7e]*$/

export function reverseGraphemes(text: string): string {
  // The same shortcut as the real app2 (one character, one grapheme), so both do the same work per message.
  if (printableAscii.test(text)) return text.split('').reverse().join('')
  return Array.from(segmenter.segment(text), (part) => part.segment)
    .reverse()
    .join('')
}
