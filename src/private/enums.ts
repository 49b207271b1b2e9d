/**
 * Run-time checks of enum values: jsii languages (Python, Java, Go, C#) and plain JavaScript can pass
 * any string where TypeScript's types allow only the enum's members, and such a value must be refused
 * at synth, not written.
 */

/**
 * The problem with `value` for the prop `prop` typed `enumName` (an enum whose members are `members`),
 * or undefined when it is one of them (or not given, where the prop is optional).
 */
export function enumProblem(prop: string, value: unknown, enumName: string, members: Record<string, string>): string | undefined {
  if (value === undefined || Object.values(members).includes(value as string)) {
    return undefined;
  }
  const allowed = Object.entries(members).map(([key, v]) => `${enumName}.${key} ('${v}')`);
  return `${prop} = ${JSON.stringify(value)}: not a value of ${enumName}, so the library cannot write it. Fix: use one of ${allowed.join(', ')}.`;
}
