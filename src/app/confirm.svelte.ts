/**
 * Asking before work is lost: one question at a time, answered in the page's
 * own dialog (ConfirmDialog.svelte, a modal <dialog>: focus moves into it,
 * Escape cancels, keyboard only works), not window.confirm, which blocks the
 * page and cannot say which button does what.
 */
export interface Question {
  title: string;
  body: string;
  /** The button that goes ahead, in words ("Replace my model"). */
  action: string;
}

export class Confirm {
  question = $state<Question | null>(null);
  private answer?: (ok: boolean) => void;

  /** Resolves true when the person chooses `action`, false on Cancel or Escape. */
  ask(question: Question): Promise<boolean> {
    this.answer?.(false); // a new question cancels one still open
    this.question = question;
    return new Promise((resolve) => (this.answer = resolve));
  }

  reply(ok: boolean) {
    const answer = this.answer;
    this.answer = undefined;
    this.question = null;
    answer?.(ok);
  }
}
