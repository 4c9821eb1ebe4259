/** The field declarations: one list the form, --help, share links and the schema all read. */
import { describe, expect, it } from "vitest";
import { GENERATE_HELP } from "../../bin/cli/generate-command";
import { DEFAULTS, FIELD_GROUPS, FIELD_NAMES, FIELDS, SECRET_FIELDS, type FieldSpec } from "../../lib/config/fields";
import { SHAREABLE_FIELDS } from "../../lib/share/share-link";

const specs = FIELD_NAMES.map((name) => [name, FIELDS[name] as FieldSpec] as const);

describe("field declarations", () => {
  it.each(specs)("%s refers only to fields that exist", (_, spec) => {
    for (const other of [...(spec.revalidates ?? []), ...(spec.shownWhen ? [spec.shownWhen] : [])]) {
      expect(FIELD_NAMES).toContain(other);
    }
    if (spec.shownWhen) expect(typeof DEFAULTS[spec.shownWhen as keyof typeof DEFAULTS]).toBe("boolean");
    expect(Object.keys(FIELD_GROUPS)).toContain(spec.group);
  });

  it("gives every field its own flag and label", () => {
    const flags = specs.map(([, s]) => s.flag);
    const labels = specs.map(([, s]) => s.label);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("documents every flag in --help, with its default, under its group's heading", () => {
    for (const [name, spec] of specs) {
      const heading = GENERATE_HELP.indexOf(`\n${FIELD_GROUPS[spec.group].cliHeading}\n`);
      const line = GENERATE_HELP.indexOf(`\n  ${spec.flag}${spec.arg ? ` ${spec.arg}` : ""} `);
      expect(heading, spec.group).toBeGreaterThan(0);
      expect(line, spec.flag).toBeGreaterThan(heading);
      if (spec.help.includes("{default}")) expect(GENERATE_HELP).toContain(String(DEFAULTS[name]));
    }
    expect(GENERATE_HELP).not.toContain("{default}");
    // Wrapped at 80 columns.
    for (const line of GENERATE_HELP.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it("keeps credentials out of share links, and shares everything else", () => {
    expect(SECRET_FIELDS).toEqual(["password", "passwordHash"]);
    expect([...SHAREABLE_FIELDS].sort()).toEqual(FIELD_NAMES.filter((f) => !SECRET_FIELDS.includes(f)).sort());
  });
});
