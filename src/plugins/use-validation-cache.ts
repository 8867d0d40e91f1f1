/**
 * Validation results cached per parsed document, in place of yoga's own validation cache (which
 * the gateway turns off). Yoga keys its cache by the names of the rules, joined into a string on
 * every request, and looks that string up in an LRU before its two WeakMaps: with graphql-js's 27
 * specified rules that key was ≈ 2.5% of the CPU of a request in process (profiled). Here the key
 * is the document itself (a WeakMap: the parsed documents are bounded by the document cache, and
 * each result goes with its document), and the rules are checked by identity against the ones the
 * result was computed with, which allocates nothing.
 *
 * It must be the last plugin that validates or adds rules: it sees the rules as they are when its
 * hook runs, and a hit skips validation for every plugin after it as well.
 */
import type { DocumentNode, GraphQLSchema, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

interface Validated {
  readonly schema: GraphQLSchema;
  readonly rules: readonly ValidationRule[] | undefined;
  /** graphql-js's GraphQLErrors; envelop types them as Errors. */
  readonly result: readonly Error[];
}

function sameRules(a: readonly ValidationRule[] | undefined, b: readonly ValidationRule[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

export function useValidationCache(): Plugin {
  const validated = new WeakMap<DocumentNode, Validated>();
  return {
    onValidate({ params, setResult }) {
      // envelop types these as any; they are validate's own arguments.
      const { schema, documentAST, rules } = params as {
        readonly schema: GraphQLSchema;
        readonly documentAST: DocumentNode;
        readonly rules: readonly ValidationRule[] | undefined;
      };
      const cached = validated.get(documentAST);
      if (cached !== undefined && cached.schema === schema && sameRules(cached.rules, rules)) {
        setResult(cached.result);
        return undefined;
      }
      // A copy: envelop's rules array is the request's own.
      const used = rules === undefined ? undefined : [...rules];
      return ({ result }) => {
        validated.set(documentAST, { schema, rules: used, result: result as readonly Error[] });
      };
    },
  };
}
