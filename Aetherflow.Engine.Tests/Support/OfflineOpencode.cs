using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.ScriptedModel;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>
/// A real opencode server, fully offline: its only model is a <see cref="ScriptedModelServer"/>, it has its own HOME and
/// XDG folders with the npm state pre-seeded, fetches no models catalog, and is killed after a lifetime limit even if
/// the test run dies. Dispose stops both servers and deletes the folders.
/// </summary>
public sealed class OfflineOpencode : IAsyncDisposable
{
    /// <summary>How long a test waits for an opencode turn: generous, because the machine is small and shared.</summary>
    public static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(120);

    private readonly TempDirectory root;

    private OfflineOpencode(TempDirectory root, ScriptedModelServer model, OpencodeServer server)
    {
        this.root = root;
        Model = model;
        Server = server;
        // A real opencode can be slow to answer on a loaded machine; the tests' health checks are not about its speed.
        Client = server.CreateClient(new OpencodeClientOptions { HealthTimeout = TimeSpan.FromSeconds(30) });
    }

    public ScriptedModelServer Model { get; }

    public OpencodeServer Server { get; }

    /// <summary>A client with the server's password.</summary>
    public OpencodeClient Client { get; }

    /// <summary>The server's isolated global config dir (<c>$XDG_CONFIG_HOME/opencode</c>).</summary>
    public string ConfigDirectory => root.Combine("home", ".config", "opencode");

    /// <summary>The opencode server's own working directory.</summary>
    public string ServerDirectory => root.Combine("server");

    /// <summary>The options every offline server uses.</summary>
    public static OpencodeServerOptions Options(TempDirectory root, ScriptedModelServer model, OpencodePermissionAction externalDirectory = OpencodePermissionAction.Allow, TimeSpan? restartDelay = null) => new()
    {
        ExecutablePath = OpencodeTool.Require(),
        WorkingDirectory = Directory.CreateDirectory(root.Combine("server")).FullName,
        Environment = BaseEnvironment(),
        ExtraEnvironment = new Dictionary<string, string> { ["OPENCODE_DISABLE_SHARE"] = "1", ["OPENCODE_DISABLE_LSP_DOWNLOAD"] = "1" },
        IsolatedHome = root.Combine("home"),
        ConfigContent = model.CreateOpencodeConfig(),
        DisableModelsFetch = true,
        ExternalDirectory = externalDirectory,
        StartupTimeout = TimeSpan.FromSeconds(90),
        RestartDelay = restartDelay ?? TimeSpan.FromSeconds(1),
        LifetimeLimit = TimeSpan.FromMinutes(15),
        Logger = new ProgressLogger("opencode"),
    };

    /// <summary>Starts the scripted model and an opencode server that uses it.</summary>
    /// <param name="externalDirectory">The server's <c>external_directory</c> permission.</param>
    /// <param name="restartDelay">The first supervision restart delay.</param>
    /// <param name="configure">Adjusts the options (extra environment…) before the server starts.</param>
    /// <param name="prepareConfigDirectory">Called with the server's isolated global config dir before it starts (install plugins…).</param>
    public static async Task<OfflineOpencode> StartAsync(
        OpencodePermissionAction externalDirectory = OpencodePermissionAction.Allow,
        TimeSpan? restartDelay = null,
        Func<OpencodeServerOptions, OpencodeServerOptions>? configure = null,
        Action<string>? prepareConfigDirectory = null)
    {
        var root = new TempDirectory("afoc");
        ScriptedModelServer? model = null;
        OpencodeServer? server = null;
        try
        {
            model = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { MaxLifetime = TimeSpan.FromMinutes(15), Logger = new ProgressLogger("scripted-model") });
            OpencodeServerOptions options = Options(root, model, externalDirectory, restartDelay);
            options = configure?.Invoke(options) ?? options;
            prepareConfigDirectory?.Invoke(Directory.CreateDirectory(Path.Combine(options.IsolatedHome!, ".config", "opencode")).FullName);
            server = new OpencodeServer(options);
            await server.StartAsync();
            return new OfflineOpencode(root, model, server);
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (model is not null)
            {
                await model.DisposeAsync();
            }

            root.Dispose();
            throw;
        }
    }

    /// <summary>The environment opencode starts from: PATH, locale and the test git identity, nothing of the user's.</summary>
    public static Dictionary<string, string> BaseEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
        };
        foreach (string name in new[] { "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL" })
        {
            environment[name] = Environment.GetEnvironmentVariable(name) ?? "Aetherflow Tests";
        }

        return environment;
    }

    /// <summary>A new, empty folder for a session to work in.</summary>
    public string CreateSessionDirectory(string name) => Directory.CreateDirectory(root.Combine("work", name)).FullName;

    /// <summary>
    /// Waits (polling, with a deadline) until the session's turn is over: the session is no longer busy and its last
    /// message is a completed assistant message. Returns all messages.
    /// </summary>
    public async Task<IReadOnlyList<OpencodeMessage>> WaitForTurnAsync(string sessionId, string directory, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TurnTimeout);
        while (true)
        {
            IReadOnlyDictionary<string, OpencodeSessionStatus> status = await Client.GetSessionStatusAsync(directory);
            if (!status.ContainsKey(sessionId))
            {
                IReadOnlyList<OpencodeMessage> messages = await Client.GetMessagesAsync(sessionId, directory);
                if (messages.Count > 0 && messages[^1] is { Role: "assistant" } last && last.Completed is not null && (last.Finish == "stop" || last.Error is not null))
                {
                    return messages;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                IReadOnlyList<OpencodeMessage> messages = await Client.GetMessagesAsync(sessionId, directory);
                Assert.Fail($"session {sessionId} did not finish its turn within {(timeout ?? TurnTimeout).TotalSeconds}s; status: {(status.TryGetValue(sessionId, out var s) ? s.Type : "idle")}, messages: "
                    + string.Join(", ", messages.Select(m => $"{m.Role}/{m.Finish ?? m.ErrorName ?? "-"}")));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits (polling, with a deadline) for a pending permission request of the session.</summary>
    public async Task<OpencodePermissionRequest> WaitForPermissionAsync(string sessionId, string directory)
    {
        DateTime deadline = DateTime.UtcNow + TurnTimeout;
        while (true)
        {
            IReadOnlyList<OpencodePermissionRequest> pending = await Client.ListPermissionsAsync(directory);
            if (pending.FirstOrDefault(r => r.SessionId == sessionId) is { } request)
            {
                return request;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no permission request for session {sessionId} within {TurnTimeout.TotalSeconds}s");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Model.DisposeAsync();
        root.Dispose();
    }
}
