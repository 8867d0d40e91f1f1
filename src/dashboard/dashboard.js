/**
 * The live dashboard. It uses only the gateway's public GraphQL API: one graphql-ws subscription
 * (`invocationActivity`, which sends the recent invocations first, then every new one and every
 * update) for the table and the chart, and `fetch` for the rest — an invocation's logs when its
 * row is clicked, and invoking from the form.
 */
import { renderLatencyChart } from './latency-chart.js';

const graphqlPath = document.querySelector('meta[name="graphql-path"]').content;
const httpUrl = new URL(graphqlPath, window.location.href).href;
const wsUrl = httpUrl.replace(/^http/, 'ws');
/** Rows kept in the page; the gateway's activity log holds 200 by default. */
const MAX_ROWS = 200;
const API_KEY_STORAGE = 'lambda-graphql-gateway.api-key';

const SUMMARY_FIELDS = `
  id requestId functionName qualifier origin invocationType status statusCode
  durationMs startedAt completedAt attempts errorType errorMessage hasLogs streamed streamedBytes
`;

const FEED = `subscription DashboardFeed($recent: Int!) {
  invocationActivity(recent: $recent) { ${SUMMARY_FIELDS} }
}`;

const DETAILS = `query DashboardInvocation($id: ID!) {
  recentInvocation(id: $id) {
    ${SUMMARY_FIELDS}
    gatewayRequestId executedVersion decodedLogs
    functionError { kind errorType errorMessage stackTrace }
    report { durationMs billedDurationMs memorySizeMb maxMemoryUsedMb initDurationMs }
  }
}`;

const INVOKE = `mutation DashboardInvoke($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) {
    __typename
    ... on Invocation { requestId statusCode functionError { errorType } }
    ... on Error { message }
  }
}`;

/** The catalog: what the caller may invoke, as Lambda describes it (the gateway caches it briefly). */
const CATALOG = `query DashboardCatalog {
  functions {
    name description runtime memorySizeMb timeoutSeconds
    versions { version }
    aliases { name functionVersion routingWeights { version weight } }
  }
}`;

const TYPE_LABELS = { REQUEST_RESPONSE: 'RequestResponse', EVENT: 'Event', DRY_RUN: 'DryRun' };

/** A response stream is told apart from a plain call of the same type: its duration is the stream's. */
function typeLabel(row) {
  const label = TYPE_LABELS[row.invocationType] ?? row.invocationType;
  return row.streamed ? `${label} (stream)` : label;
}

const state = {
  /** id → InvocationSummary */
  rows: new Map(),
  filter: '',
  selected: undefined,
  apiKey: window.sessionStorage.getItem(API_KEY_STORAGE) ?? '',
  /** ids that arrived live (after the first render), highlighted once */
  fresh: new Set(),
  client: undefined,
  unsubscribe: undefined,
  /** Names from the catalog, offered in the invoke form beside those seen invoked. */
  catalog: [],
};

const $ = (selector) => document.querySelector(selector);

function showProblem(message) {
  const problem = $('#problem');
  problem.hidden = message === undefined;
  problem.textContent = message ?? '';
}

/** A readable message for GraphQL errors, saying what to do about credentials. */
function describeErrors(errors) {
  const first = Array.isArray(errors) ? errors[0] : errors;
  const code = first?.extensions?.code;
  const message = first?.message ?? String(first);
  if (code === 'UNAUTHENTICATED') return `${message} — enter an API key above.`;
  return code === undefined ? message : `${code}: ${message}`;
}

class GraphQLRequestError extends Error {}

async function graphql(query, variables) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (state.apiKey !== '') headers['x-api-key'] = state.apiKey;
  const response = await fetch(httpUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors !== undefined && body.errors.length > 0) throw new GraphQLRequestError(describeErrors(body.errors));
  return body.data;
}

function setConnection(connection) {
  const badge = $('#connection');
  badge.dataset.state = connection;
  badge.textContent = connection === 'live' ? 'live' : connection === 'connecting' ? 'connecting…' : 'disconnected';
}

function time(iso) {
  const date = new Date(iso);
  return `${date.toLocaleTimeString([], { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function formatDuration(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function cell(text, className) {
  const td = document.createElement('td');
  if (className !== undefined) td.className = className;
  td.textContent = text;
  return td;
}

function visibleRows() {
  const rows = [...state.rows.values()].filter((row) => state.filter === '' || row.functionName === state.filter);
  // Newest first; the id breaks ties between invocations started in the same millisecond.
  return rows.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

let renderScheduled = false;
function scheduleRender() {
  if (renderScheduled) return;
  renderScheduled = true;
  window.requestAnimationFrame(() => {
    renderScheduled = false;
    render();
  });
}

function render() {
  const rows = visibleRows();
  const body = $('#invocations tbody');
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      tr.dataset.id = row.id;
      if (row.requestId !== null) tr.dataset.requestId = row.requestId;
      tr.dataset.function = row.functionName;
      tr.dataset.status = row.status;
      tr.setAttribute('aria-selected', String(row.id === state.selected));
      if (state.fresh.has(row.id)) tr.classList.add('fresh');
      const status = document.createElement('span');
      status.className = `status status-${row.status}`;
      status.textContent = row.status;
      const statusCell = cell('');
      statusCell.append(status);
      const error = row.errorType === null ? '' : `${row.errorType}${row.errorMessage === null ? '' : `: ${row.errorMessage}`}`;
      tr.append(
        cell(time(row.startedAt)),
        cell(row.qualifier === null ? row.functionName : `${row.functionName}:${row.qualifier}`),
        cell(typeLabel(row)),
        statusCell,
        cell(row.statusCode === null ? '—' : String(row.statusCode), 'number'),
        cell(formatDuration(row.durationMs), 'number'),
        cell(error, 'error'),
      );
      return tr;
    }),
  );
  state.fresh.clear();
  $('#empty').hidden = rows.length > 0;
  $('#count').textContent = rows.length === 0 ? '' : `${rows.length} shown`;
  renderLatencyChart($('#latency-chart'), rows);
  renderFunctionChoices();
}

function renderFunctionChoices() {
  const names = [...new Set([...state.rows.values()].map((row) => row.functionName))].sort();
  const select = $('#function-filter');
  const current = [...select.options].slice(1).map((option) => option.value);
  if (current.join('\n') !== names.join('\n')) {
    select.replaceChildren(new Option('all functions', ''), ...names.map((name) => new Option(name, name)));
    select.value = state.filter;
  }
  const known = [...new Set([...state.catalog, ...names])].sort();
  $('#known-functions').replaceChildren(...known.map((name) => new Option(name)));
}

/** `live → 1 (2: 10%)`: an alias, its version, and the versions it shifts traffic to. */
function aliasText(alias) {
  const shifted = alias.routingWeights.map((w) => `${w.version}: ${Math.round(w.weight * 100)}%`);
  return `${alias.name} → ${alias.functionVersion}${shifted.length === 0 ? '' : ` (${shifted.join(', ')})`}`;
}

function renderCatalog(functions) {
  const rows = [...functions].sort((a, b) => a.name.localeCompare(b.name));
  $('#catalog-functions tbody').replaceChildren(
    ...rows.map((fn) => {
      const tr = document.createElement('tr');
      tr.dataset.function = fn.name;
      const name = cell(fn.name, 'function');
      if (fn.description !== '') {
        const description = document.createElement('small');
        description.textContent = fn.description;
        name.append(description);
      }
      tr.append(
        name,
        cell(fn.runtime ?? '—'),
        cell(fn.memorySizeMb === null ? '—' : `${fn.memorySizeMb} MB`, 'number'),
        cell(fn.timeoutSeconds === null ? '—' : `${fn.timeoutSeconds} s`, 'number'),
        cell(fn.versions.map((v) => v.version).join(', ') || '—', 'qualifiers'),
        cell(fn.aliases.map(aliasText).join(', ') || '—', 'qualifiers'),
      );
      return tr;
    }),
  );
  const status = $('#catalog-status');
  $('#catalog-count').textContent = rows.length === 0 ? '' : `${rows.length} you may invoke`;
  status.hidden = rows.length > 0;
  status.textContent = 'No functions you may invoke.';
  state.catalog = rows.map((fn) => fn.name);
  renderFunctionChoices();
}

/** Read when the page opens, when the API key changes (another caller sees other functions), and on refresh. */
async function loadCatalog() {
  try {
    renderCatalog((await graphql(CATALOG, {})).functions);
  } catch (error) {
    $('#catalog-functions tbody').replaceChildren();
    $('#catalog-count').textContent = '';
    const status = $('#catalog-status');
    status.hidden = false;
    status.textContent = `The functions could not be listed: ${error.message}`;
  }
}

function upsert(summary, live) {
  state.rows.set(summary.id, summary);
  if (live) state.fresh.add(summary.id);
  if (state.rows.size > MAX_ROWS) {
    const oldest = [...state.rows.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt))[0];
    state.rows.delete(oldest.id);
  }
  // An update of the selected invocation (an EVENT completing) refreshes its details.
  if (summary.id === state.selected) void showDetails(summary.id);
  scheduleRender();
}

/** (Re)connects the live feed, with the current API key. */
function connect() {
  state.unsubscribe?.();
  void state.client?.dispose();
  state.rows.clear();
  scheduleRender();
  showProblem(undefined);
  setConnection('connecting');
  let initial = true;
  const client = window.graphqlWs.createClient({
    url: wsUrl,
    connectionParams: () => (state.apiKey === '' ? {} : { apiKey: state.apiKey }),
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => setConnection('live'),
      closed: () => setConnection('disconnected'),
      connecting: () => setConnection('connecting'),
    },
  });
  state.client = client;
  state.unsubscribe = client.subscribe(
    { query: FEED, variables: { recent: MAX_ROWS } },
    {
      next: (result) => {
        if (result.errors !== undefined) {
          showProblem(describeErrors(result.errors));
          return;
        }
        showProblem(undefined);
        upsert(result.data.invocationActivity, !initial);
      },
      error: (error) => {
        setConnection('disconnected');
        showProblem(
          Array.isArray(error) ? describeErrors(error) : `The live feed stopped: ${error?.reason || error?.message || 'connection closed'}`,
        );
      },
      complete: () => setConnection('disconnected'),
    },
  );
  // The recent invocations arrive as one burst; anything later is live.
  window.setTimeout(() => {
    initial = false;
  }, 500);
}

function field(list, name, value) {
  if (value === null || value === undefined || value === '') return;
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = String(value);
  list.append(dt, dd);
}

async function showDetails(id) {
  state.selected = id;
  scheduleRender();
  const panel = $('#details');
  panel.hidden = false;
  $('#details-title').textContent = id;
  const logs = $('#logs');
  logs.textContent = 'Loading…';
  let details;
  try {
    details = (await graphql(DETAILS, { id })).recentInvocation;
  } catch (error) {
    logs.textContent = error.message;
    return;
  }
  if (state.selected !== id) return;
  if (details === null) {
    logs.textContent = 'This invocation is no longer in the gateway’s activity log.';
    return;
  }
  const list = $('#details-fields');
  list.replaceChildren();
  field(list, 'function', details.qualifier === null ? details.functionName : `${details.functionName}:${details.qualifier}`);
  field(list, 'typed field', details.origin);
  field(list, 'type', typeLabel(details));
  if (details.streamed) field(list, 'streamed', `${details.streamedBytes ?? 0} bytes`);
  field(list, 'status', details.status);
  field(list, 'HTTP status', details.statusCode);
  field(list, 'request id', details.requestId);
  field(list, 'gateway request', details.gatewayRequestId);
  field(list, 'executed version', details.executedVersion);
  field(list, 'round trip', formatDuration(details.durationMs));
  if (details.report !== null) {
    const { report } = details;
    field(list, 'duration', `${report.durationMs} ms (billed ${report.billedDurationMs} ms)`);
    field(list, 'memory', `${report.maxMemoryUsedMb} of ${report.memorySizeMb} MB`);
    field(list, 'init duration', report.initDurationMs === null ? undefined : `${report.initDurationMs} ms (cold start)`);
  }
  field(list, 'attempts', details.attempts);
  field(list, 'started', details.startedAt);
  field(list, 'completed', details.completedAt);
  if (details.functionError === null && details.errorType !== null)
    field(list, 'refused', `${details.errorType}: ${details.errorMessage ?? ''}`);
  const errorBox = $('#details-error');
  errorBox.hidden = details.functionError === null;
  if (details.functionError !== null) {
    const { errorType, errorMessage, stackTrace } = details.functionError;
    $('#details-stack').textContent = [`${errorType ?? 'Error'}: ${errorMessage ?? ''}`, ...stackTrace].join('\n');
  }
  logs.textContent = details.hasLogs
    ? details.decodedLogs
    : 'No logs: the invocation did not ask for logType TAIL (or you may not read this function’s logs).';
}

$('#invocations tbody').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-id]');
  if (row !== null) void showDetails(row.dataset.id);
});

$('#function-filter').addEventListener('change', (event) => {
  state.filter = event.target.value;
  scheduleRender();
});

const apiKeyInput = $('#api-key');
apiKeyInput.value = state.apiKey;
apiKeyInput.addEventListener('change', () => {
  state.apiKey = apiKeyInput.value.trim();
  window.sessionStorage.setItem(API_KEY_STORAGE, state.apiKey);
  connect();
  void loadCatalog();
});

$('#catalog-refresh').addEventListener('click', () => void loadCatalog());

$('#invoke-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const output = $('#invoke-result');
  output.className = '';
  let payload;
  try {
    payload = form.payload.value.trim() === '' ? undefined : JSON.parse(form.payload.value);
  } catch (error) {
    output.className = 'failed';
    output.textContent = `The payload is not JSON: ${error.message}`;
    return;
  }
  const invocationType = form.invocationType.value;
  const input = {
    functionName: form.functionName.value.trim(),
    invocationType,
    // Lambda returns logs only for synchronous invocations.
    logType: form.tail.checked && invocationType === 'REQUEST_RESPONSE' ? 'TAIL' : 'NONE',
    payload,
  };
  output.textContent = 'Invoking…';
  graphql(INVOKE, { input }).then(
    ({ invokeFunction: result }) => {
      if (result.__typename === 'Invocation') {
        output.textContent = `${result.statusCode}${result.functionError === null ? '' : ` · function error ${result.functionError.errorType}`} · ${result.requestId}`;
      } else {
        output.className = 'failed';
        output.textContent = `${result.__typename}: ${result.message}`;
      }
    },
    (error) => {
      output.className = 'failed';
      output.textContent = error.message;
    },
  );
});

connect();
void loadCatalog();
