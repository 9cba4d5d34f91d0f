using System.Text.Json.Nodes;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>
/// A stand-in for <c>opencode serve</c> (a small python3 HTTP server) for unit tests of <c>OpencodeServer</c>'s
/// process handling on a fake clock: it prints the same "listening" line, checks Basic auth like opencode, answers
/// <c>/global/health</c>, and reports its environment at <c>/_env</c>. Its behaviour for the next start is read from a
/// mode file: <c>ok</c>, <c>silent</c> (never says it listens), <c>exit</c> (fails at once), <c>ignore-term</c>.
/// Every start is appended to a log. The real opencode is tested in the other fixtures of this folder.
/// </summary>
public sealed class FakeOpencode : IDisposable
{
    private const string Script = """
        import base64, http.server, json, os, signal, socket, sys
        args = sys.argv[1:]
        port = int(args[args.index("--port") + 1])
        host = args[args.index("--hostname") + 1]
        state = os.environ["FAKE_OPENCODE_STATE"]
        mode = open(os.path.join(state, "mode")).read().strip()
        with open(os.path.join(state, "starts"), "a") as log:
            log.write(f"{os.getpid()} {port} {mode}\n")
        if mode == "exit":
            print("Error: something broke", flush=True)
            sys.exit(3)
        if mode == "ignore-term":
            signal.signal(signal.SIGTERM, lambda *_: open(os.path.join(state, "term"), "a").write("ignored\n"))
        expected = "Basic " + base64.b64encode(f"opencode:{os.environ['OPENCODE_SERVER_PASSWORD']}".encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path == "/global/health":
                    body = {"healthy": True, "version": "0.0.0-fake"}
                elif self.path == "/_env":
                    body = dict(os.environ)
                else:
                    body = {"name": "NotFoundError", "data": {"message": "no route " + self.path}}
                data = json.dumps(body).encode()
                self.send_response(200 if self.path in ("/global/health", "/_env") else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        try:
            server = http.server.ThreadingHTTPServer((host, port), Handler)
        except OSError as error:
            print(f"Error: Unexpected error, check log file at ... for more details ServeError: {error}", flush=True)
            sys.exit(1)
        if mode != "silent":
            print(f"opencode server listening on http://{host}:{port}", flush=True)
        server.serve_forever()
        """;

    private readonly TempDirectory root = new("affake");

    public FakeOpencode()
    {
        Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(ExecutablePath, "#!/usr/bin/env python3\n" + Script);
        File.SetUnixFileMode(ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Mode = "ok";
    }

    public string ExecutablePath => root.Combine("opencode");

    public string StateDirectory => root.Combine("state");

    public TempDirectory Root => root;

    /// <summary>How the next start behaves.</summary>
    public string Mode
    {
        get => File.ReadAllText(Path.Combine(StateDirectory, "mode")).Trim();
        set => File.WriteAllText(Path.Combine(StateDirectory, "mode"), value);
    }

    /// <summary>One entry per start: pid, port and mode.</summary>
    public IReadOnlyList<(int Pid, int Port, string Mode)> Starts
    {
        get
        {
            string path = Path.Combine(StateDirectory, "starts");
            return File.Exists(path)
                ? File.ReadAllLines(path).Select(line => line.Split(' ')).Select(p => (int.Parse(p[0]), int.Parse(p[1]), p[2])).ToList()
                : [];
        }
    }

    /// <summary>True once a process ignored a SIGTERM.</summary>
    public bool IgnoredTerm => File.Exists(Path.Combine(StateDirectory, "term"));

    /// <summary>The variables the server tells it runs with.</summary>
    public static async Task<JsonObject> EnvironmentOfAsync(Aetherflow.Engine.Opencode.OpencodeConnection connection)
    {
        using var http = new HttpClient { BaseAddress = connection.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{connection.Username}:{connection.Password}")));
        return JsonNode.Parse(await http.GetStringAsync("_env"))!.AsObject();
    }

    public Dictionary<string, string> Environment() => new(OfflineOpencode.BaseEnvironment()) { ["FAKE_OPENCODE_STATE"] = StateDirectory };

    public void Dispose() => root.Dispose();
}
