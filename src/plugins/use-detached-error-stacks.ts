/**
 * Parse and validation errors are cached with their documents (yoga keeps the validation result
 * of each cached document). V8 records an error's stack as structured frames and formats it into a
 * string only when `stack` is first read; until then the frames keep the functions and closures
 * they ran in alive. For a validation error those include the HTTP handler's, so each cached
 * invalid document kept the whole request it first came with — IncomingMessage, response, socket
 * buffers, and through the socket later requests — for as long as the document stayed cached.
 * Reading `stack` once turns the frames into a string and lets the request go.
 */
import type { Plugin } from 'graphql-yoga';

function detach(errors: readonly unknown[]): void {
  for (const error of errors) {
    if (error instanceof Error) void error.stack;
  }
}

export function useDetachedErrorStacks(): Plugin {
  return {
    onParse() {
      return ({ result }) => {
        if (result instanceof Error) detach([result]);
      };
    },
    onValidate() {
      return ({ valid, result }) => {
        if (!valid) detach(result);
      };
    },
  };
}
