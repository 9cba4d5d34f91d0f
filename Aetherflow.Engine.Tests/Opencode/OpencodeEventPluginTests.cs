using System.Text.Json.Nodes;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>Where the event plugin is found, and when a managed server is told the engine socket.</summary>
public sealed class OpencodeEventPluginTests
{
    private readonly TempDirectory root = new("afplug");

    [OneTimeTearDown]
    public void TearDown() => root.Dispose();

    [TestCase("config/opencode/plugins")]
    [TestCase("config/opencode/plugin")]
    [TestCase("custom/plugins")]
    [TestCase("work/.opencode/plugins")]
    [TestCase("work/.opencode/plugin")]
    public void The_plugin_is_found_in_every_config_dir_opencode_loads(string folder)
    {
        using var dir = new TempDirectory("afplug");
        string installed = dir.Write(Path.Combine(folder, OpencodeEventPlugin.FileName), "export {}");

        string? found = OpencodeEventPlugin.FindInstalled(Variables(dir), dir.Combine("work"));

        Assert.That(found, Is.EqualTo(installed));
    }

    [Test]
    public void Without_XDG_CONFIG_HOME_the_global_config_dir_is_under_HOME()
    {
        using var dir = new TempDirectory("afplug");
        string installed = dir.Write(Path.Combine("home", ".config", "opencode", "plugins", OpencodeEventPlugin.FileName), "export {}");

        Assert.That(OpencodeEventPlugin.FindInstalled(new Dictionary<string, string> { ["HOME"] = dir.Combine("home") }, dir.Path), Is.EqualTo(installed));
        Assert.That(OpencodeConfigDirectory.GlobalPath(new Dictionary<string, string> { ["HOME"] = "/h", ["XDG_CONFIG_HOME"] = "relative" }), Is.EqualTo("/h/.config/opencode"), "a relative XDG_CONFIG_HOME is ignored");
        Assert.That(OpencodeConfigDirectory.GlobalPath(new Dictionary<string, string>()), Is.Null);
    }

    [Test]
    public void It_is_not_found_when_absent_or_when_external_plugins_are_off()
    {
        using var dir = new TempDirectory("afplug");
        Assert.That(OpencodeEventPlugin.FindInstalled(Variables(dir), dir.Path), Is.Null);

        dir.Write(Path.Combine("config", "opencode", "plugins", OpencodeEventPlugin.FileName), "export {}");
        Dictionary<string, string> pure = Variables(dir);
        pure["OPENCODE_PURE"] = "1";

        Assert.That(OpencodeEventPlugin.FindInstalled(pure, dir.Path), Is.Null);
    }

    [Test]
    public async Task A_managed_server_with_the_plugin_installed_is_given_the_engine_socket_and_project()
    {
        using var fake = new FakeOpencode();
        string home = fake.Root.Combine("home");
        fake.Root.Write(Path.Combine("home", ".config", "opencode", "plugins", OpencodeEventPlugin.FileName), "export {}");

        JsonObject env = await EnvironmentAsync(fake, home, "/run/af/demo.sock", inherited: new() { ["AETHERFLOW_SOCKET"] = "/run/af/other.sock" });

        Assert.That(env[OpencodeEventPlugin.SocketVariable]?.GetValue<string>(), Is.EqualTo("/run/af/demo.sock"));
        Assert.That(env[OpencodeEventPlugin.ProjectVariable]?.GetValue<string>(), Is.EqualTo("demo"));
    }

    [Test]
    public async Task Without_the_plugin_the_server_gets_no_socket_and_an_inherited_one_is_removed()
    {
        using var fake = new FakeOpencode();

        JsonObject env = await EnvironmentAsync(fake, fake.Root.Combine("home"), "/run/af/demo.sock", inherited: new() { ["AETHERFLOW_SOCKET"] = "/run/af/other.sock", ["AETHERFLOW_PROJECT"] = "other" });

        Assert.That(env.ContainsKey(OpencodeEventPlugin.SocketVariable), Is.False, "another project's engine socket must not leak into this server");
        Assert.That(env.ContainsKey(OpencodeEventPlugin.ProjectVariable), Is.False);
    }

    [Test]
    public async Task A_socket_given_explicitly_as_extra_environment_is_kept()
    {
        using var fake = new FakeOpencode();

        JsonObject env = await EnvironmentAsync(fake, fake.Root.Combine("home"), socket: null, extra: new() { ["AETHERFLOW_SOCKET"] = "/run/af/mine.sock" });

        Assert.That(env[OpencodeEventPlugin.SocketVariable]?.GetValue<string>(), Is.EqualTo("/run/af/mine.sock"));
    }

    private static Dictionary<string, string> Variables(TempDirectory dir) => new()
    {
        ["HOME"] = dir.Combine("home"),
        ["XDG_CONFIG_HOME"] = dir.Combine("config"),
        ["OPENCODE_CONFIG_DIR"] = dir.Combine("custom"),
    };

    private static async Task<JsonObject> EnvironmentAsync(FakeOpencode fake, string home, string? socket, Dictionary<string, string>? inherited = null, Dictionary<string, string>? extra = null)
    {
        Dictionary<string, string> environment = fake.Environment();
        foreach ((string key, string value) in inherited ?? [])
        {
            environment[key] = value;
        }

        await using var server = new OpencodeServer(new OpencodeServerOptions
        {
            ExecutablePath = fake.ExecutablePath,
            WorkingDirectory = fake.Root.Path,
            Environment = environment,
            ExtraEnvironment = extra ?? [],
            IsolatedHome = home,
            EventSocketPath = socket,
            EventProject = "demo",
            LifetimeLimit = TimeSpan.FromMinutes(2),
            Logger = new ProgressLogger("opencode-fake"),
        });
        await server.StartAsync();
        return await FakeOpencode.EnvironmentOfAsync(server.Connection);
    }
}
