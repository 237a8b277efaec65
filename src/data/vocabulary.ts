/**
 * The small vocabulary Heed's generated text draws on besides the topics:
 * haiku building blocks and connecting words. The lexicon build script
 * (scripts/buildLexicon.ts) counts the syllables of every word here.
 */
export const ADJECTIVES = [
  'cold', 'soft', 'pale', 'still', 'quiet', 'old', 'bright', 'slow', 'red', 'grey', 'gold', 'dark', 'small', 'long',
  'warm', 'thin', 'lone', 'deep', 'white', 'green', 'wet', 'silent', 'golden', 'gentle', 'hidden', 'empty', 'early',
  'distant', 'silver', 'yellow', 'late', 'new', 'wild', 'calm', 'sweet', 'far',
];
export const VERBS = [
  'falls', 'drifts', 'sleeps', 'waits', 'sings', 'turns', 'fades', 'glows', 'rests', 'hums', 'moves', 'shines', 'wakes',
  'bends', 'calls', 'sways', 'shivers', 'listens', 'wanders', 'settles', 'returns', 'lingers',
];
export const ADVERBS = ['slowly', 'softly', 'again', 'alone', 'away', 'tonight', 'at dawn', 'at dusk', 'once more', 'all day', 'in rain'];
export const PREPOSITIONS = ['over the', 'under the', 'on the', 'in the', 'by the', 'across the', 'beneath the', 'along the', 'near the'];
export const SETTINGS = [
  'field', 'hill', 'road', 'lake', 'roof', 'path', 'shore', 'sky', 'stone', 'wall', 'gate', 'tree', 'river', 'garden',
  'window', 'mountain', 'village', 'meadow', 'water', 'bridge', 'valley', 'forest', 'harbor', 'doorstep',
];
