/** A CRD's OpenAPI schema reduced to the field names it allows, for the unknown-field rule (src/rules/fields.ts). */

/** Properties, list items, map values, anything (`x`), or a 32-bit integer (`n`). */
export interface FieldNode {
  p?: Record<string, FieldNode>;
  i?: FieldNode;
  a?: FieldNode;
  x?: 1;
  n?: 1;
}

/**
 * @param int32 whether to mark `format: int32` integers: the API server does not check the format, but Istio's
 *   webhook decodes the spec into Go's int32 and refuses a number beyond it
 */
export function fieldTree(schema: any, int32 = false): FieldNode {
  const node: FieldNode = {};
  if (schema['x-kubernetes-preserve-unknown-fields']) {
    node.x = 1;
  }
  if (int32 && schema.type === 'integer' && schema.format === 'int32') {
    node.n = 1;
  }
  if (schema.properties) {
    node.p = Object.fromEntries(Object.keys(schema.properties).sort().map(k => [k, fieldTree(schema.properties[k], int32)]));
  }
  if (schema.items) {
    node.i = fieldTree(schema.items, int32);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    node.a = fieldTree(schema.additionalProperties, int32);
  }
  return node;
}
