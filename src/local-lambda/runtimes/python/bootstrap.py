"""The local Lambda's Python runtime: speaks Lambda's Runtime API and runs `module.function`.

Started by the local Lambda (src/local-lambda/process-environment.ts) as
`python3 -u bootstrap.py` with Lambda's environment, once per execution environment. It behaves
as AWS's Python runtime does where a handler can tell: the context object, the logging set-up
([LEVEL] lines with timestamp and request id; the root logger stays at WARNING as in Lambda's
text log format), the error payloads ({errorMessage, errorType, requestId, stackTrace}) and the
init errors (Runtime.ImportModuleError, Runtime.HandlerNotFound, ...).

Standard library only, and written here rather than using AWS's awslambdaric: that package is a
C extension built against libcurl, which would make every Python function need a compiler and
headers on the developer's machine. The per-invocation path is one keep-alive HTTP connection,
a GET and a POST: no process work, no imports.
"""

import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

API_PREFIX = "/2018-06-01/runtime"
API_PREFIX_BYTES = API_PREFIX.encode("ascii")

# What AWS's Python runtime logs before an unhandled error.
UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For "
    "functions using managed runtimes, runtime updates can be triggered by a function change, or can "
    "be applied automatically. To determine if the runtime has been updated, check the runtime "
    "version in the INIT_START log entry. If this error correlates with a change in the runtime "
    "version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

# The request id log lines carry; empty during init, as on AWS.
current_request_id = ""


class RuntimeFault(Exception):
    """A failure the runtime reports under its own type (Runtime.*), not the handler's exception."""

    def __init__(self, error_type, message, stack_trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


class CognitoIdentity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self, identity):
        identity = identity or {}
        self.cognito_identity_id = identity.get("cognitoIdentityId")
        self.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")

    def __init__(self, client):
        for name in self.__slots__:
            setattr(self, name, client.get(name))


class ClientContext:
    __slots__ = ("client", "custom", "env")

    def __init__(self, context):
        client = context.get("client")
        self.client = Client(client) if isinstance(client, dict) else None
        self.custom = context.get("custom")
        self.env = context.get("env")


class LambdaContext:
    """The `context` argument, with the attributes and the method AWS's runtime gives it."""

    def __init__(self, request_id, invoked_function_arn, deadline_ms, client_context, identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        # A string on AWS too: it is read from the environment as it is.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = client_context
        self.identity = identity
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def __repr__(self):
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},client_context={self.client_context},"
            f"identity={self.identity}])"
        )


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id
        return True


class StdoutHandler(logging.Handler):
    """Writes each record to stdout at once (the format ends the line), as AWS's text format does."""

    def emit(self, record):
        try:
            sys.stdout.write(self.format(record))
        except Exception:
            self.handleError(record)


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = StdoutHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def error_body(error_type, message, stack_trace, request_id):
    return {"errorMessage": message or "", "errorType": error_type or "", "requestId": request_id, "stackTrace": stack_trace}


def user_frames(tb):
    """The traceback from the first frame that is not this bootstrap's, formatted as AWS lists it."""
    frames = traceback.extract_tb(tb)
    for index, frame in enumerate(frames):
        if not frame.filename.endswith("/bootstrap.py"):
            return traceback.format_list(frames[index:])
    return traceback.format_list(frames)


def log_error(body):
    """`[ERROR] Type: message` and the traceback, as AWS's runtime logs an unhandled error."""
    lines = ["[ERROR] " + body["errorType"] + (": " + body["errorMessage"] if body["errorMessage"] else "")]
    lines.append("Traceback (most recent call last):")
    for element in body["stackTrace"]:
        lines.extend(element.splitlines())
    sys.stdout.write(UNHANDLED_WARNING + "\n" + "\n".join(lines) + "\n")


def load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise RuntimeFault("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {error}")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise RuntimeFault("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        raise RuntimeFault("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}")
    except SyntaxError as error:
        trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
        raise RuntimeFault("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}", trace)
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise RuntimeFault("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")


class RuntimeApi:
    """One keep-alive HTTP/1.1 connection to the environment's Runtime API.

    Hand-written on a socket rather than http.client: http.client parses every response's headers
    with the email package, which made it most of this runtime's CPU time per invocation (about
    400 µs of CPU per invocation with it, against under 200 µs without, measured). The peer is
    the local Lambda's own Runtime API, whose answers always carry Content-Length, so this is all
    of HTTP it needs.
    """

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.socket = socket.create_connection((host, int(port)))
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = address.encode("latin-1")
        self.pending = b""

    def next(self):
        self.socket.sendall(b"GET " + API_PREFIX_BYTES + b"/invocation/next HTTP/1.1\r\nHost: " + self.host + b"\r\n\r\n")
        _, headers, body = self.read_response()
        return body, headers

    def post(self, path, body, error_type=None):
        head = b"POST " + API_PREFIX_BYTES + path.encode("utf-8") + b" HTTP/1.1\r\nHost: " + self.host
        head += b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode("ascii")
        if error_type is not None:
            head += b"\r\nLambda-Runtime-Function-Error-Type: " + error_type.encode("utf-8")
        self.socket.sendall(head + b"\r\n\r\n" + body)
        self.read_response()

    def read_response(self):
        """Status, headers (lower-case names) and body of the next response on the connection."""
        data = self.pending
        end = data.find(b"\r\n\r\n")
        while end < 0:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise ConnectionError("the Runtime API closed the connection")
            data += chunk
            end = data.find(b"\r\n\r\n")
        lines = data[:end].decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        start = end + 4
        if len(data) - start < length:
            parts = [data[start:]]
            have = len(parts[0])
            while have < length:
                chunk = self.socket.recv(max(65536, length - have))
                if not chunk:
                    raise ConnectionError("the Runtime API closed the connection")
                parts.append(chunk)
                have += len(chunk)
            data = b"".join(parts)
            start = 0
        self.pending = data[start + length :]
        return int(lines[0].split(" ", 2)[1]), headers, data[start : start + length]


def to_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_json_header(text, what):
    try:
        return json.loads(text)
    except Exception as error:
        raise RuntimeFault("Runtime.LambdaContextUnmarshalError", f"Unable to parse {what} JSON: {error}")


def invoke(handler, body, headers, request_id):
    """The handler's result as JSON bytes; raises what the runtime reports as the invocation's error."""
    client_context_json = headers.get("lambda-runtime-client-context")
    identity_json = headers.get("lambda-runtime-cognito-identity")
    client_context = ClientContext(parse_json_header(client_context_json, "Client Context")) if client_context_json else None
    identity = CognitoIdentity(parse_json_header(identity_json, "Cognito Identity") if identity_json else None)
    context = LambdaContext(
        request_id,
        headers.get("lambda-runtime-invoked-function-arn"),
        int(headers.get("lambda-runtime-deadline-ms", "0")),
        client_context,
        identity,
    )
    try:
        event = json.loads(body) if body else None
    except Exception as error:
        raise RuntimeFault("Runtime.UnmarshalError", f"Unable to unmarshal input: {error}")
    result = handler(event, context)
    try:
        return to_json(result)
    except (TypeError, ValueError) as error:
        raise RuntimeFault("Runtime.MarshalError", f"Unable to marshal response: {error}")


def main():
    global current_request_id
    # Handlers import from their code directory first, as from /var/task on AWS; this file's own
    # folder is not theirs to import from.
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    sys.path[0] = task_root
    setup_logging()
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as error:
        if isinstance(error, RuntimeFault):
            body = error_body(error.error_type, error.message, error.stack_trace, "")
        else:
            body = error_body(type(error).__name__, str(error), user_frames(error.__traceback__), "")
        log_error(body)
        api.post("/init/error", to_json(body), body["errorType"])
        sys.exit(1)

    while True:
        event_body, headers = api.next()
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        current_request_id = request_id
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            result = invoke(handler, event_body, headers, request_id)
        except RuntimeFault as fault:
            body = error_body(fault.error_type, fault.message, fault.stack_trace, request_id)
        except Exception as error:
            body = error_body(type(error).__name__, str(error), user_frames(error.__traceback__), request_id)
        else:
            api.post(f"/invocation/{request_id}/response", result)
            continue
        log_error(body)
        api.post(f"/invocation/{request_id}/error", to_json(body), body["errorType"])


if __name__ == "__main__":
    main()
