// The seam through which subsystems (memory, skills…) add sections to an agent's system prompt
// without the prompt builder knowing them: each provider renders text for one agent and turn.
export interface PromptSectionContext {
  readonly agentId: string;
  readonly sessionKey: string;
  readonly workspace: string;
}

/** Returns the section's text (markdown, starting with its own heading), or undefined for none. */
export type PromptSectionProvider = (context: PromptSectionContext) => string | undefined;

export class PromptSections {
  private readonly providers: { readonly id: string; readonly render: PromptSectionProvider }[] = [];

  constructor(private readonly onError: (id: string, error: Error) => void = () => {}) {}

  /** Adds a provider; sections appear in registration order. Returns an unregister. */
  register(id: string, render: PromptSectionProvider): () => void {
    if (this.providers.some((p) => p.id === id)) throw new Error(`prompt section ${id} is already registered`);
    const entry = { id, render };
    this.providers.push(entry);
    return () => {
      const at = this.providers.indexOf(entry);
      if (at >= 0) this.providers.splice(at, 1);
    };
  }

  /** Every provider's section for this turn; a provider that throws is skipped (and reported), never the turn. */
  render(context: PromptSectionContext): string[] {
    const out: string[] = [];
    for (const provider of this.providers) {
      try {
        const text = provider.render(context);
        if (text && text.trim()) out.push(text.trim());
      } catch (error) {
        this.onError(provider.id, error as Error);
      }
    }
    return out;
  }
}
