using System.Text.Json.Nodes;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.EndToEnd;

/// <summary>
/// A whole engine on the opencode runtime, fully offline: a real git project, the prog stand-in as tracker, the real
/// opencode binary as managed server, and the scripted model. Custom scripted scenarios can move their own task on
/// (<c>{{work_id}}</c>), like a real agent following its prompt.
/// </summary>
internal sealed class OpencodeEngineHarness : IAsyncDisposable
{
    private readonly Func<Task<EngineHost>> startEngine;

    private OpencodeEngineHarness(TestHome home, GitSandbox git, ProgStandIn prog, ScriptedModelServer model, Func<Task<EngineHost>> startEngine)
    {
        Home = home;
        Git = git;
        Prog = prog;
        Model = model;
        this.startEngine = startEngine;
    }

    public TestHome Home { get; }

    public GitSandbox Git { get; }

    public ProgStandIn Prog { get; }

    public ScriptedModelServer Model { get; }

    public EngineHost Engine { get; private set; } = null!;

    /// <summary>Stops the engine (its agents are stopped, its server too) and starts a new one on the same home.</summary>
    public async Task RestartAsync(Func<Task>? whileStopped = null)
    {
        await Engine.DisposeAsync();
        Engine = null!;
        if (whileStopped is not null)
        {
            await whileStopped();
        }

        Engine = await startEngine();
    }

    public EngineSnapshot Snapshot => Engine.Engine.Snapshot;

    /// <param name="flags">Configuration flags over the harness's defaults.</param>
    /// <param name="prepareOpencodeConfig">Called with the managed server's (isolated) global config dir before it starts.</param>
    public static async Task<OpencodeEngineHarness> StartAsync(Dictionary<string, string>? flags = null, Action<string>? prepareOpencodeConfig = null)
    {
        var home = new TestHome();
        GitSandbox git = await GitSandbox.CreateAsync();
        var prog = new ProgStandIn(home);
        await prog.InitAsync();
        string work = $"echo done > work-{ScriptedToolCall.WorkIdPlaceholder}.txt && git add -A && git commit -qm 'Work on {ScriptedToolCall.WorkIdPlaceholder}' && {ProgStandIn.ExecutablePath} review {ScriptedToolCall.WorkIdPlaceholder}";
        ScriptedModelServer model = await ScriptedModelServer.StartAsync(new ScriptedModelOptions
        {
            MaxLifetime = TimeSpan.FromMinutes(15),
            Scripts = ScenarioScripts.Parse(new JsonObject
            {
                ["review"] = new JsonArray(
                    new JsonObject { ["type"] = "tool", ["name"] = "bash", ["args"] = new JsonObject { ["command"] = work, ["description"] = "Do the work" } },
                    new JsonObject { ["type"] = "text", ["text"] = "Done; the task is in review." }),
            }.ToJsonString()),
        });

        var variables = new Dictionary<string, string>(OfflineOpencode.BaseEnvironment());
        foreach ((string key, string value) in home.Variables)
        {
            variables[key] = value;
        }

        foreach ((string key, string value) in prog.Variables)
        {
            variables[key] = value;
        }

        foreach ((string key, string? value) in GitSandbox.Environment)
        {
            variables[key] = value!;
        }

        var allFlags = new Dictionary<string, string>
        {
            ["project"] = "demo",
            ["task_source"] = "prog",
            ["prog_bin"] = ProgStandIn.ExecutablePath,
            ["opencode_bin"] = OpencodeTool.Require(),
            ["poll_interval"] = "300ms",
            ["retry_backoff"] = "500ms",
        };
        foreach ((string key, string value) in flags ?? [])
        {
            allFlags[key] = value;
        }

        AetherflowConfig config = ConfigLoader.Load(new ConfigLoadRequest { ProjectDirectory = git.RepoPath, Environment = variables, Flags = allFlags });
        string isolated = Path.Combine(home.Root, "opencode-home");
        prepareOpencodeConfig?.Invoke(Directory.CreateDirectory(Path.Combine(isolated, ".config", "opencode")).FullName);
        Task<EngineHost> Start() => EngineHost.StartAsync(
            config,
            new EngineOptions
            {
                Environment = new HostEnvironment(variables),
                Headless = true,
                Components = EngineComposition.CreateAsync,
                LoggerFactory = new ProgressLoggerFactory(),
                ConfigureOpencodeServer = server => server with
                {
                    IsolatedHome = isolated,
                    ConfigContent = model.CreateOpencodeConfig(),
                    DisableModelsFetch = true,
                    ExtraEnvironment = new Dictionary<string, string> { ["OPENCODE_DISABLE_SHARE"] = "1", ["OPENCODE_DISABLE_LSP_DOWNLOAD"] = "1" },
                    StartupTimeout = TimeSpan.FromSeconds(90),
                    RestartDelay = TimeSpan.FromMilliseconds(200),
                    LifetimeLimit = TimeSpan.FromMinutes(15),
                },
            },
            CancellationToken.None);
        var harness = new OpencodeEngineHarness(home, git, prog, model, Start);
        harness.Engine = await Start();
        return harness;
    }

    public async Task<string> AddTaskAsync(string title, int priority = 2) =>
        (await Prog.RunOkAsync("add", title, "-p", "demo", "--priority", priority.ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim();

    public string StateOf(string id)
    {
        string json = Prog.RunOkAsync("show", id, "--json").GetAwaiter().GetResult();
        return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("status").GetString()!;
    }

    public AgentInfo Agent(string workId) => Snapshot.Agents.Single(a => a.TaskId == workId);

    public Task UntilAsync(Func<bool> condition, string what, int seconds = 120) =>
        Eventually.TrueAsync(condition, what + "; decisions: " + string.Join(" | ", Snapshot.Decisions.TakeLast(8).Select(d => d.Message)), TimeSpan.FromSeconds(seconds));

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }

        await Model.DisposeAsync();
        Git.Dispose();
        Home.Dispose();
    }
}
