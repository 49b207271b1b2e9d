/** A CRD's OpenAPI schema reduced to the field names it allows, for the unknown-field rule (src/rules/fields.ts). */

/** Properties, list items, map values, or anything (`x`). */
export interface FieldNode {
  p?: Record<string, FieldNode>;
  i?: FieldNode;
  a?: FieldNode;
  x?: 1;
}

export function fieldTree(schema: any): FieldNode {
  const node: FieldNode = {};
  if (schema['x-kubernetes-preserve-unknown-fields']) {
    node.x = 1;
  }
  if (schema.properties) {
    node.p = Object.fromEntries(Object.keys(schema.properties).sort().map(k => [k, fieldTree(schema.properties[k])]));
  }
  if (schema.items) {
    node.i = fieldTree(schema.items);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    node.a = fieldTree(schema.additionalProperties);
  }
  return node;
}
