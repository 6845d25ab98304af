/**
 * Words in a learner's text, as the exercise's word limits count them: runs of characters between
 * white space. Here, not in a model, because the browser shows the same count live as they type.
 */
export function countWords(text: string): number {
  const words = text.trim().match(/\S+/gu);
  return words ? words.length : 0;
}
