/**
 * Limits on the shape of an operation, checked at validation (before anything runs): how deep its
 * selections nest, and how many aliases it uses — aliases are how one request would otherwise
 * repeat `invokeFunction` hundreds of times, past the `invokeFunctions` batch limit. Introspection
 * has a depth limit of its own (as Apollo Router has): tools ask for type references nested nine
 * `ofType` levels deep, past any depth an operation on this schema needs, yet an unbounded
 * introspection query is free work for anyone. Each refusal has its own code and says the limit
 * and by how much it was passed.
 *
 * Written here rather than taken from GraphQL Armor: Armor's rules depend on graphql 16, and a
 * second graphql instance cannot validate this graphql 17 schema.
 */
import { type ASTVisitor, Kind, Lexer, type SelectionSetNode, Source, TokenKind, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded, limitRefusal } from '../errors.ts';

export interface OperationLimits {
  /** Most lexical tokens in one document (a size limit that no nesting trick escapes). */
  readonly maxTokens: number;
  /** Deepest selection nesting, fragments expanded, introspection not counted. */
  readonly maxDepth: number;
  /** Deepest nesting under `__schema` or `__type`, counting from the operation's root. */
  readonly maxIntrospectionDepth: number;
  /** Most aliased fields in one document. */
  readonly maxAliases: number;
}

/**
 * Lexical tokens in `text`; counting stops at twice the limit (enough to say by how much, without
 * lexing a huge document to its end). Lexing errors are left to the parser to report.
 */
function countTokens(text: string, limit: number): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF && count <= 2 * limit) count += 1;
  } catch {
    return count;
  }
  return count;
}

/** How deep an operation nests: its own fields, and introspection (`__schema`, `__type`) apart. */
interface Depths {
  readonly depth: number;
  readonly introspection: number;
}

const NONE: Depths = { depth: 0, introspection: 0 };

const deeper = (a: Depths, b: Depths): Depths => ({
  depth: Math.max(a.depth, b.depth),
  introspection: Math.max(a.introspection, b.introspection),
});

/**
 * The depths of a selection set, following fragment spreads (each fragment once per path). Inside
 * introspection every field counts, towards the introspection depth only: GraphiQL's own query
 * nests type references deeply, and must not be held to the limit meant for operations. A
 * `__typename` elsewhere is a leaf that costs nothing, and is not counted.
 */
function depthsOf(context: ValidationContext, selectionSet: SelectionSetNode, seen: ReadonlySet<string>, inIntrospection: boolean): Depths {
  let deepest = NONE;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const introspection = inIntrospection || (name.startsWith('__') && name !== '__typename');
      if (!introspection && name.startsWith('__')) continue;
      const below = selection.selectionSet === undefined ? NONE : depthsOf(context, selection.selectionSet, seen, introspection);
      deepest = deeper(deepest, {
        depth: introspection ? 0 : 1 + below.depth,
        introspection: introspection || below.introspection > 0 ? 1 + below.introspection : 0,
      });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = deeper(deepest, depthsOf(context, selection.selectionSet, seen, inIntrospection));
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (fragment !== undefined && fragment !== null && !seen.has(name)) {
        deepest = deeper(deepest, depthsOf(context, fragment.selectionSet, new Set([...seen, name]), inIntrospection));
      }
    }
  }
  return deepest;
}

export function useOperationLimits(limits: OperationLimits): Plugin {
  const depthRule = (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const { depth, introspection } = depthsOf(context, operation.selectionSet, new Set(), false);
      if (depth > limits.maxDepth)
        context.reportError(
          limitExceeded('MAX_DEPTH_EXCEEDED', 'The query depth', { name: 'limits.maxDepth', value: limits.maxDepth, actual: depth }),
        );
      if (introspection > limits.maxIntrospectionDepth) {
        context.reportError(
          limitExceeded('MAX_INTROSPECTION_DEPTH_EXCEEDED', 'The introspection depth', {
            name: 'limits.maxIntrospectionDepth',
            value: limits.maxIntrospectionDepth,
            actual: introspection,
          }),
        );
      }
    },
  });
  const aliasRule = (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias !== undefined) aliases += 1;
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases) {
            context.reportError(
              limitExceeded('MAX_ALIASES_EXCEEDED', 'The number of aliases', {
                name: 'limits.maxAliases',
                value: limits.maxAliases,
                actual: aliases,
              }),
            );
          }
        },
      },
    };
  };
  return {
    // Counted before parsing, so an oversized document costs a lexer pass, not an AST.
    onParse({ params }) {
      const { maxTokens } = limits;
      const source = params.source as string | Source;
      const text = typeof source === 'string' ? source : source.body;
      // Every token is at least one character: a document no longer than the limit is within it,
      // and the lexer pass is skipped (it would otherwise run on every request, cached or not).
      if (text.length <= maxTokens) return;
      const tokens = countTokens(text, maxTokens);
      if (tokens <= maxTokens) return;
      const limit = { name: 'limits.maxTokens', value: maxTokens };
      if (tokens <= 2 * maxTokens) throw limitExceeded('MAX_TOKENS_EXCEEDED', 'The number of tokens', { ...limit, actual: tokens });
      // Counting stopped at twice the limit: the actual figure is not known.
      throw limitRefusal(
        'MAX_TOKENS_EXCEEDED',
        `The number of tokens is more than ${2 * maxTokens}, over twice the limit of ${maxTokens}`,
        limit,
      );
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthRule);
      addValidationRule(aliasRule);
    },
  };
}
