/** One step of the deploy-and-verify guide. */
export type SnippetLanguage = "sh" | "yaml" | "python" | "go";

export interface GuideStep {
  id: string;
  title: string;
  text: string;
  snippet?: { language: SnippetLanguage; code: string };
}
