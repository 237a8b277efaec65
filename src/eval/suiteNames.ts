/** The suites' names, apart from the suites, so the page's checks can name them without loading any. */
export const SUITE_NAMES = ['heldout', 'train', 'haiku-heldout', 'haiku-train', 'haiku-valid', 'haiku-requests'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];
