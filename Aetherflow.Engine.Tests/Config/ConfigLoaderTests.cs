using Aetherflow.Engine.Config;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Config;

public sealed class ConfigLoaderTests
{
    private TempDirectory project = null!;

    [SetUp]
    public void SetUp() => project = new TempDirectory("afcfg");

    [TearDown]
    public void TearDown() => project.Dispose();

    [Test]
    public void No_file_gives_the_documented_defaults()
    {
        AetherflowConfig config = Load();

        Assert.Multiple(() =>
        {
            Assert.That(config.ConfigFile, Is.Null);
            Assert.That(config.PoolSize, Is.EqualTo(3));
            Assert.That(config.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(config.ReconcileInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(config.MaxRetries, Is.EqualTo(3));
            Assert.That(config.SpawnPolicy, Is.EqualTo(SpawnPolicy.Manual));
            Assert.That(config.TaskSource, Is.EqualTo("builtin"));
            Assert.That(config.Runtime, Is.EqualTo("opencode"));
            Assert.That(config.Solo, Is.False);
            Assert.That(config[ConfigKeys.PoolSize].Origin.Kind, Is.EqualTo(ConfigSourceKind.Default));
        });
    }

    [Test]
    public void Project_defaults_to_the_directory_name_made_valid()
    {
        using var odd = new TempDirectory(".My Project");
        AetherflowConfig config = ConfigLoader.Load(new ConfigLoadRequest { ProjectDirectory = odd.Path });

        Assert.That(config.Project, Does.StartWith("My-Project-"));
        Assert.That(config[ConfigKeys.Project].Origin.ToString(), Is.EqualTo("default (directory name)"));
    }

    [Test]
    public void Every_original_key_is_read_from_the_file()
    {
        WriteConfig("""
            project: myapp
            poll_interval: 500ms
            pool_size: 5
            spawn_cmd: my-agent --flag "two words"
            server_url: http://127.0.0.1:4096
            spawn_policy: auto
            max_retries: 7
            solo: true
            reconcile_interval: 2m
            prompt_dir: prompts
            session_dir: /var/tmp/sessions
            """);

        AetherflowConfig config = Load();

        Assert.Multiple(() =>
        {
            Assert.That(config.Project, Is.EqualTo("myapp"));
            Assert.That(config.PollInterval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(config.PoolSize, Is.EqualTo(5));
            Assert.That(config.SpawnCmd, Is.EqualTo("my-agent --flag \"two words\""));
            Assert.That(config.ServerUrl, Is.EqualTo("http://127.0.0.1:4096"));
            Assert.That(config.SpawnPolicy, Is.EqualTo(SpawnPolicy.Auto));
            Assert.That(config.MaxRetries, Is.EqualTo(7));
            Assert.That(config.Solo, Is.True);
            Assert.That(config.ReconcileInterval, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(config.PromptDir, Is.EqualTo("prompts"));
            Assert.That(config.SessionDir, Is.EqualTo("/var/tmp/sessions"));
            Assert.That(config.Runtime, Is.EqualTo("command"), "spawn_cmd implies the command runtime");
            Assert.That(config[ConfigKeys.PoolSize].Origin.ToString(), Is.EqualTo("file .aetherflow.yaml:3:12"));
        });
    }

    [Test]
    public void Explicit_zero_and_false_are_kept_over_non_zero_defaults()
    {
        WriteConfig("max_retries: 0\nsolo: false\n");
        AetherflowConfig fromFile = Load();
        AetherflowConfig fromFlags = Load(flags: new() { ["solo"] = "false", ["max_retries"] = "0" }, environment: new() { ["AETHERFLOW_SOLO"] = "true", ["AETHERFLOW_MAX_RETRIES"] = "4" });

        Assert.Multiple(() =>
        {
            Assert.That(fromFile.MaxRetries, Is.Zero);
            Assert.That(fromFile[ConfigKeys.MaxRetries].Origin.Kind, Is.EqualTo(ConfigSourceKind.File));
            Assert.That(fromFile.Solo, Is.False);
            Assert.That(fromFile[ConfigKeys.Solo].Origin.Kind, Is.EqualTo(ConfigSourceKind.File));
            Assert.That(fromFlags.MaxRetries, Is.Zero);
            Assert.That(fromFlags.Solo, Is.False, "--solo=false beats solo: true from the environment");
        });
    }

    [Test]
    public void Flags_beat_environment_beats_file_beats_defaults()
    {
        WriteConfig("pool_size: 4\npoll_interval: 20s\nmax_retries: 5\n");
        AetherflowConfig config = Load(
            environment: new() { ["AETHERFLOW_POOL_SIZE"] = "6", ["AETHERFLOW_POLL_INTERVAL"] = "30s" },
            flags: new() { ["pool_size"] = "8" });

        Assert.Multiple(() =>
        {
            Assert.That(config.PoolSize, Is.EqualTo(8));
            Assert.That(config[ConfigKeys.PoolSize].Origin.ToString(), Is.EqualTo("flag --pool-size"));
            Assert.That(config.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(config[ConfigKeys.PollInterval].Origin.ToString(), Is.EqualTo("env AETHERFLOW_POLL_INTERVAL"));
            Assert.That(config.MaxRetries, Is.EqualTo(5));
            Assert.That(config[ConfigKeys.MaxRetries].Origin.Kind, Is.EqualTo(ConfigSourceKind.File));
            Assert.That(config.ReconcileInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(config[ConfigKeys.ReconcileInterval].Origin.Kind, Is.EqualTo(ConfigSourceKind.Default));
        });
    }

    [TestCase("pol_interval: 5s", ".aetherflow.yaml:1:1: unknown key 'pol_interval'; did you mean 'poll_interval'?")]
    [TestCase("pool_sise: 2", ".aetherflow.yaml:1:1: unknown key 'pool_sise'; did you mean 'pool_size'?")]
    [TestCase("bananas: 2", ".aetherflow.yaml:1:1: unknown key 'bananas'; run 'aetherflow config' to list the valid keys")]
    [TestCase("pool_size: three", ".aetherflow.yaml:1:12: pool_size expects a whole number, got 'three'")]
    [TestCase("solo: yes", ".aetherflow.yaml:1:7: solo expects true or false, got 'yes'")]
    [TestCase("poll_interval: 10 seconds", ".aetherflow.yaml:1:16: poll_interval has an invalid duration '10 seconds' (expected e.g. 500ms, 10s, 2m, 1h30m)")]
    [TestCase("project: my/app", ".aetherflow.yaml:1:10: project 'my/app' is not a valid project name: use letters, digits, '.', '_' and '-', not starting with '.' or '-', at most 64 characters")]
    [TestCase("project: .hidden", ".aetherflow.yaml:1:10: project '.hidden' is not a valid project name: use letters, digits, '.', '_' and '-', not starting with '.' or '-', at most 64 characters")]
    [TestCase("project: -rf", ".aetherflow.yaml:1:10: project '-rf' is not a valid project name: use letters, digits, '.', '_' and '-', not starting with '.' or '-', at most 64 characters")]
    [TestCase("server_url: http://example.com:4096", ".aetherflow.yaml:1:13: server_url 'http://example.com:4096' is not allowed: use an http URL on 127.0.0.1, localhost or [::1] with a port, like http://127.0.0.1:4096")]
    [TestCase("server_url: http://127.0.0.1", ".aetherflow.yaml:1:13: server_url 'http://127.0.0.1' is not allowed: use an http URL on 127.0.0.1, localhost or [::1] with a port, like http://127.0.0.1:4096")]
    [TestCase("server_url: https://localhost:4096", ".aetherflow.yaml:1:13: server_url 'https://localhost:4096' is not allowed: use an http URL on 127.0.0.1, localhost or [::1] with a port, like http://127.0.0.1:4096")]
    [TestCase("pool_size: 0", ".aetherflow.yaml:1:12: pool_size must be between 1 and 256, got 0")]
    [TestCase("reconcile_interval: 4s", ".aetherflow.yaml:1:21: reconcile_interval must be at least 5s, got 4s")]
    [TestCase("spawn_policy: autoo", ".aetherflow.yaml:1:15: spawn_policy must be one of manual, auto, got 'autoo'; did you mean 'auto'?")]
    [TestCase("max_retries: -1", ".aetherflow.yaml:1:14: max_retries must be between 0 and 100, got -1")]
    [TestCase("pool_size:", ".aetherflow.yaml:1:11: pool_size has no value; give one or remove the line to use the default (3)")]
    [TestCase("pool_size: 2\npool_size: 3", ".aetherflow.yaml:2:1: duplicate key 'pool_size' (first set at line 1)")]
    [TestCase("pool_size: [1, 2]", ".aetherflow.yaml:1:12: pool_size expects a single value, not a list or mapping")]
    [TestCase("- pool_size", ".aetherflow.yaml:1:1: the config file must be a mapping of keys to values, like 'pool_size: 3'")]
    [TestCase("spawn_cmd: run 'unterminated", ".aetherflow.yaml:1:12: spawn_cmd cannot be split into words: unterminated single quote at position 5")]
    [TestCase("runtime: command", ".aetherflow.yaml:1:10: runtime is 'command' but spawn_cmd is empty; set spawn_cmd to the command that runs one agent")]
    public void A_bad_file_fails_with_one_line_naming_file_line_and_column(string yaml, string expected)
    {
        WriteConfig(yaml + "\n");

        var error = Assert.Throws<ConfigException>(() => Load());

        Assert.That(error!.Message, Is.EqualTo(expected));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Invalid_yaml_names_the_position()
    {
        WriteConfig("pool_size: 3\n  bad: [\n");

        var error = Assert.Throws<ConfigException>(() => Load());

        Assert.That(error!.Message, Does.Match(@"^\.aetherflow\.yaml:\d+:\d+: invalid YAML: .+$"));
    }

    [Test]
    public void Bad_environment_values_name_the_variable()
    {
        var error = Assert.Throws<ConfigException>(() => Load(environment: new() { ["AETHERFLOW_POOL_SIZE"] = "0" }));

        Assert.That(error!.Message, Is.EqualTo("environment variable AETHERFLOW_POOL_SIZE: pool_size must be between 1 and 256, got 0"));
    }

    [Test]
    public void Bad_flag_values_name_the_flag()
    {
        var error = Assert.Throws<ConfigException>(() => Load(flags: new() { ["reconcile_interval"] = "1s" }));

        Assert.That(error!.Message, Is.EqualTo("flag --reconcile-interval: reconcile_interval must be at least 5s, got 1s"));
    }

    [Test]
    public void A_missing_explicit_config_file_is_an_error()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = project.Path,
            ConfigFile = project.Combine("nope.yaml"),
        }));

        Assert.That(error!.Message, Does.StartWith("config file not found: "));
    }

    [Test]
    public void The_config_file_can_be_named_by_environment_variable()
    {
        string file = project.Write("elsewhere/af.yaml", "pool_size: 9\n");

        AetherflowConfig config = Load(environment: new() { ["AETHERFLOW_CONFIG"] = file });

        Assert.That(config.PoolSize, Is.EqualTo(9));
        Assert.That(config.ConfigFile, Is.EqualTo(file));
    }

    [Test]
    public void An_empty_file_means_defaults()
    {
        WriteConfig("# nothing set yet\n");

        Assert.That(Load().PoolSize, Is.EqualTo(3));
    }

    [Test]
    public void Choice_values_are_case_insensitive_and_normalised()
    {
        WriteConfig("spawn_policy: AUTO\n");

        Assert.That(Load().SpawnPolicy, Is.EqualTo(SpawnPolicy.Auto));
    }

    private void WriteConfig(string yaml) => project.Write(".aetherflow.yaml", yaml);

    private AetherflowConfig Load(Dictionary<string, string>? environment = null, Dictionary<string, string>? flags = null) =>
        ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = project.Path,
            Environment = environment ?? [],
            Flags = flags ?? [],
        });
}
