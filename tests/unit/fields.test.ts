/** The field declarations: one list the form, --help, share links and the schema all read. */
import { describe, expect, it } from "vitest";
import { GENERATE_HELP } from "../../bin/cli/generate-command";
import { FIELD_CLI, type FieldCli } from "../../lib/config/field-cli";
import { applicableValues } from "../../lib/config/schema";
import { SEALING_CERTIFICATE_FIELD } from "../../lib/config/sealing-field";
import {
  DEFAULTS,
  FIELD_GROUPS,
  FIELD_NAMES,
  fieldShown,
  FIELDS,
  SECRET_FIELDS,
  type FieldName,
  type FieldSpec,
} from "../../lib/config/fields";
import { SHAREABLE_FIELDS } from "../../lib/share/share-link";

const specs = FIELD_NAMES.map((name) => [name, FIELDS[name] as FieldSpec] as const);

describe("field declarations", () => {
  it.each(specs)("%s refers only to fields that exist", (_, spec) => {
    const when = spec.shownWhen;
    for (const other of [
      ...(spec.revalidates ?? []),
      ...(when ? [typeof when === "string" ? when : when.field] : []),
    ]) {
      expect(FIELD_NAMES).toContain(other);
    }
    // A switch, or a choice and one of its values.
    if (typeof when === "string") expect(typeof DEFAULTS[when as keyof typeof DEFAULTS]).toBe("boolean");
    else if (when)
      expect((FIELDS[when.field as FieldName] as FieldSpec).options?.map((o) => o.value)).toContain(when.is);
    expect(Object.keys(FIELD_GROUPS)).toContain(spec.group);
  });

  it("gives every field its own flag and label", () => {
    const flags = specs.map(([name]) => FIELD_CLI[name].flag);
    const labels = specs.map(([, s]) => s.label);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("documents every flag in --help, with its default, under its group's heading", () => {
    for (const [name, spec] of specs) {
      const cli: FieldCli = FIELD_CLI[name];
      const heading = GENERATE_HELP.indexOf(`\n${FIELD_GROUPS[spec.group].cliHeading}\n`);
      const line = GENERATE_HELP.indexOf(`\n  ${cli.flag}${cli.arg ? ` ${cli.arg}` : ""} `);
      expect(heading, spec.group).toBeGreaterThan(0);
      expect(line, cli.flag).toBeGreaterThan(heading);
      for (const more of cli.more ?? []) expect(GENERATE_HELP).toContain(`\n  ${more.flag} ${more.arg} `);
      if (cli.help.includes("{default}")) expect(GENERATE_HELP).toContain(String(DEFAULTS[name]));
    }
    expect(GENERATE_HELP).not.toContain("{default}");
    // Wrapped at 80 columns.
    for (const line of GENERATE_HELP.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it("keeps credentials out of share links, and shares everything else", () => {
    expect(SECRET_FIELDS).toEqual(["password", "passwordHash"]);
    expect([...SHAREABLE_FIELDS].sort()).toEqual(FIELD_NAMES.filter((f) => !SECRET_FIELDS.includes(f)).sort());
  });

  it("shows each Secrets as choice's own fields, and judges hidden ones at their defaults", () => {
    const shown = (secretsAs: string) =>
      FIELD_NAMES.filter((f) => FIELDS[f].group === "credentials" && fieldShown(FIELDS[f] as FieldSpec, { secretsAs }));
    expect(shown("plain")).toEqual(["username", "password", "passwordHash", "pushers", "secretsAs", "sopsAge"]);
    expect(shown("sealed")).toContain("sealingScope");
    expect(shown("sealed")).not.toContain("secretStore");
    expect(shown("external")).toEqual(expect.arrayContaining(["secretStore", "secretStoreKind", "remoteKey"]));
    expect(fieldShown(SEALING_CERTIFICATE_FIELD, { secretsAs: "sealed" })).toBe(true);
    expect(fieldShown(SEALING_CERTIFICATE_FIELD, {})).toBe(false);
    // A store typed, then Plain Secrets chosen: kept in the form, not used.
    const typed = { ...DEFAULTS, secretStore: "vault", sopsAge: "age1x", networkPolicyPusherPods: "a=b" };
    expect(applicableValues(typed)).toEqual({
      ...typed,
      secretStore: "",
      networkPolicyPusherPods: DEFAULTS.networkPolicyPusherPods,
    });
    expect(applicableValues({ ...typed, secretsAs: "external" as const })).toMatchObject({
      secretStore: "vault",
      sopsAge: "",
    });
    expect(applicableValues(DEFAULTS)).toBe(DEFAULTS);
  });
});
