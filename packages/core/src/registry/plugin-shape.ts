/** The type a plugin member must have: `schema` is a zod schema (an object with `safeParse`). */
export type MemberType = 'function' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'schema';

/** The members a plugin kind needs, by name (optional members are left out). */
export type PluginShape = Readonly<Record<string, MemberType>>;

const article = (t: MemberType) => (t === 'array' || t === 'object' ? 'an' : 'a');
const what: Record<MemberType, string> = {
  function: 'function',
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
  schema: 'zod schema',
};

function hasType(value: unknown, type: MemberType): boolean {
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null;
    case 'schema':
      return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    default:
      return typeof value === type;
  }
}

/**
 * What is wrong with a plugin record against its kind's shape.
 * @param plugin - the record
 * @param shape - the members its kind needs
 * @returns one phrase per missing or mistyped member (empty when it fits), e.g. `create is missing (a function)`
 */
export function shapeProblems(plugin: object, shape: PluginShape): string[] {
  const problems: string[] = [];
  for (const [member, type] of Object.entries(shape)) {
    const value = (plugin as Record<string, unknown>)[member];
    if (value === undefined) problems.push(`${member} is missing (${article(type)} ${what[type]})`);
    else if (!hasType(value, type)) problems.push(`${member} is not ${article(type)} ${what[type]}`);
  }
  return problems;
}
