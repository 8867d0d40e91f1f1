/**
 * The function catalog as one caller may see it, for one request: only what the access rules let
 * the caller invoke is listed, and nothing else is revealed — a function it may not invoke is as
 * absent as one that does not exist. Lambda's answers come from the gateway's shared, cached
 * source (function-catalog.ts); the loaders here are per request, so a query that asks for the
 * versions of twenty functions, or for one function twice, makes each read once.
 */
import DataLoader from 'dataloader';
import type { Allowlist } from '../access/allowlist.ts';
import type { Principal } from '../auth/authenticator.ts';
import type { CatalogAlias, CatalogFunction, CatalogVersion, FunctionCatalogSource } from './function-catalog.ts';

/**
 * A function's own name, as listed: an ARN or a `name:qualifier` is not a catalog name, and is not
 * sent to Lambda at all (it could name something the rules, which compare names, do not see).
 */
const CATALOG_NAME = /^[\w.-]{1,140}$/;

/** One request's view of the catalog, bound to its caller. */
export interface CallerCatalog {
  /** Every function the caller may invoke with some qualifier. */
  functions(): Promise<readonly CatalogFunction[]>;
  /** Undefined when Lambda does not know it or the caller may not invoke it. */
  function(name: string): Promise<CatalogFunction | undefined>;
  /** The function's versions (`$LATEST` among them) the caller may invoke. */
  versions(functionName: string): Promise<readonly CatalogVersion[]>;
  /** The function's aliases the caller may invoke. */
  aliases(functionName: string): Promise<readonly CatalogAlias[]>;
}

/** The gateway's one catalog: built once, bound to each request's caller by the context. */
export class FunctionCatalog {
  readonly #source: FunctionCatalogSource;
  readonly #access: Allowlist;

  constructor(source: FunctionCatalogSource, access: Allowlist) {
    this.#source = source;
    this.#access = access;
  }

  forCaller(principal: Principal): CallerCatalog {
    const source = this.#source;
    const access = this.#access;
    const may = (functionName: string, qualifier: string | undefined): boolean =>
      access.grants(principal, { functionName, qualifier, invocationType: undefined }) !== undefined;
    // Made on first use: most requests (every invocation) never read the catalog.
    const configurations = lazyLoaderOf((name) => source.getFunction(name));
    const versions = lazyLoaderOf((name) => source.listVersions(name));
    const aliases = lazyLoaderOf((name) => source.listAliases(name));
    let listed: Promise<readonly CatalogFunction[]> | undefined;

    const visible = async (fn: CatalogFunction): Promise<boolean> => {
      if (may(fn.name, undefined)) return true;
      // Rules that allow only some qualifiers: listed when the function has one of them.
      if (!access.namesFunction(principal, fn.name)) return false;
      const [ofVersions, ofAliases] = await Promise.all([versions.load(fn.name), aliases.load(fn.name)]);
      return ofVersions.some((v) => may(fn.name, v.version)) || ofAliases.some((a) => may(fn.name, a.name));
    };
    const visibleOnly = async (all: readonly CatalogFunction[]): Promise<CatalogFunction[]> => {
      const shown = await Promise.all(all.map(visible));
      return all.filter((_, i) => shown[i]);
    };

    return {
      functions: () => (listed ??= source.listFunctions().then(visibleOnly)),
      async function(name) {
        if (!CATALOG_NAME.test(name) || !access.namesFunction(principal, name)) return undefined;
        const fn = await configurations.load(name);
        return fn !== undefined && (await visible(fn)) ? fn : undefined;
      },
      versions: async (functionName) => (await versions.load(functionName)).filter((v) => may(functionName, v.version)),
      aliases: async (functionName) => (await aliases.load(functionName)).filter((a) => may(functionName, a.name)),
    };
  }
}

/**
 * A loader per read: Lambda has no batch read, so a batch is its keys' reads side by side, each
 * failure in its own key's slot (the DataLoader contract), deduplicated by function name.
 */
function lazyLoaderOf<V>(read: (name: string) => Promise<V>): Pick<DataLoader<string, V>, 'load'> {
  let loader: DataLoader<string, V> | undefined;
  return { load: (name) => (loader ??= loaderOf(read)).load(name) };
}

function loaderOf<V>(read: (name: string) => Promise<V>): DataLoader<string, V> {
  return new DataLoader<string, V>((names) =>
    Promise.all(names.map((name) => read(name).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
  );
}
