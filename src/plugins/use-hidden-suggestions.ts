/**
 * In production, validation errors do not suggest field and type names ("Did you mean …?"): with
 * introspection off, suggestions would hand the schema out one guess at a time. graphql 17's
 * `hideSuggestions` validation option does it, set here for every validation.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** graphql 17's validate: options come fourth (envelop's types still describe graphql 16's). */
type Validate17 = (
  schema: GraphQLSchema,
  document: DocumentNode,
  rules?: readonly ValidationRule[],
  options?: { hideSuggestions?: boolean },
) => readonly GraphQLError[];

export function useHiddenSuggestions(): Plugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      const validate = validateFn as unknown as Validate17;
      const hiding: Validate17 = (schema, document, rules, options) =>
        validate(schema, document, rules, { ...options, hideSuggestions: true });
      setValidationFn(hiding);
    },
  };
}
