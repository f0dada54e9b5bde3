/** Fills `{{key}}` placeholders; unknown keys stay as they are, so a typo shows in the output. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => values[key] ?? match);
}
