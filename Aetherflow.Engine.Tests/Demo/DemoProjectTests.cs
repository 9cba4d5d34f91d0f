using Aetherflow.Engine.Config;
using Aetherflow.Engine.Demo;
using Aetherflow.Engine.Git;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Tests.Support;
using CliWrap;
using CliWrap.Buffered;

namespace Aetherflow.Engine.Tests.Demo;

/// <summary>The demo project generator: a real git repository, a config for auto solo mode, tasks with dependencies.</summary>
public sealed class DemoProjectTests
{
    private TempDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TempDirectory("afdemo");

    [TearDown]
    public void DeleteFolder() => folder.Dispose();

    [Test]
    public async Task The_project_is_a_git_repository_on_main_with_one_commit_of_the_catalog_files_and_its_own_identity()
    {
        DemoProject project = await CreateAsync();

        var git = new GitClient(project.Directory, GitSandbox.ClientOptions);
        string branch = await git.RunCheckedAsync(["branch", "--show-current"], CancellationToken.None);
        string commits = await git.RunCheckedAsync(["rev-list", "--count", "HEAD"], CancellationToken.None);
        string files = await git.RunCheckedAsync(["ls-files"], CancellationToken.None);
        string identity = await new GitClient(project.Directory).RunCheckedAsync(["config", "--local", "user.email"], CancellationToken.None);

        Assert.That(branch.Trim(), Is.EqualTo("main"));
        Assert.That(commits.Trim(), Is.EqualTo("1"));
        Assert.That(files.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(DemoCatalog.InitialFiles.Keys.Append(".aetherflow.yaml")));
        Assert.That(identity.Trim(), Is.EqualTo(DemoProject.GitUserEmail), "agents commit with the repository's identity, not the user's");
        Assert.That(File.GetUnixFileMode(Path.Combine(project.Directory, "strkit")) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
    }

    [Test]
    public async Task The_config_runs_the_pool_in_auto_mode_in_solo_on_the_builtin_store_under_the_given_name()
    {
        DemoProject project = await CreateAsync(poolSize: 3);

        AetherflowConfig config = ConfigLoader.Load(new ConfigLoadRequest { ProjectDirectory = project.Directory, Environment = new Dictionary<string, string>() });

        Assert.That(config.Project, Is.EqualTo("demo-test1"));
        Assert.That(config.SpawnPolicy, Is.EqualTo(SpawnPolicy.Auto));
        Assert.That(config.Solo, Is.True);
        Assert.That(config.PoolSize, Is.EqualTo(3));
        Assert.That(config.TaskSource, Is.EqualTo("builtin"));
    }

    [Test]
    public async Task The_tasks_wait_for_their_dependencies_so_only_the_independent_ones_are_ready()
    {
        DemoProject project = await CreateAsync();
        BuiltinTaskStore store = project.OpenStore();
        string Id(string key) => project.Tasks.Single(t => t.Plan.Key == key).Id;

        IReadOnlyList<TrackerTask> ready = await store.ListReadyAsync(CancellationToken.None);
        TrackerTaskDetail help = await store.GetAsync(Id("help"), CancellationToken.None);
        TrackerTaskDetail readme = await store.GetAsync(Id("readme"), CancellationToken.None);

        Assert.That(project.Tasks, Has.Count.EqualTo(DemoCatalog.Tasks.Count).And.Count.InRange(4, 6));
        Assert.That(ready.Select(t => t.Id), Is.EqualTo(new[] { Id("reverse"), Id("count"), Id("lower") }), "by priority; more than the pool of two, so one waits");
        Assert.That(help.Dependencies, Is.EquivalentTo(new[] { Id("reverse"), Id("count"), Id("palindrome") }));
        Assert.That(readme.Dependencies, Is.EquivalentTo(new[] { Id("help"), Id("lower") }));
        Assert.That(help.DefinitionOfDone, Does.Contain("sh tests/run.sh"));
        Assert.That(help.Description, Is.Not.Empty);
    }

    [Test]
    public async Task The_projects_own_tests_pass_on_the_first_commit()
    {
        DemoProject project = await CreateAsync();

        BufferedCommandResult run = await RunTestsAsync(project.Directory);

        Assert.That(run.ExitCode, Is.Zero, run.StandardOutput + run.StandardError);
        Assert.That(run.StandardOutput.Trim(), Is.EqualTo("1 passed, 0 failed"));
    }

    [Test]
    public async Task A_folder_that_is_not_empty_is_refused()
    {
        folder.Write("strkit/keep.txt", "mine");

        IOException? error = await Assert.ThrowsAsync<IOException>(async () => await CreateAsync());

        Assert.That(error!.Message, Does.Contain("is not empty"));
        Assert.That(File.ReadAllText(folder.Combine("strkit", "keep.txt")), Is.EqualTo("mine"));
    }

    internal static Task<BufferedCommandResult> RunTestsAsync(string directory) =>
        Cli.Wrap("sh").WithArguments(["tests/run.sh"]).WithWorkingDirectory(directory).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    private Task<DemoProject> CreateAsync(int poolSize = 2) => DemoProject.CreateAsync(
        new DemoProjectOptions { Directory = folder.Combine("strkit"), ProjectName = "demo-test1", PoolSize = poolSize, GitEnvironment = GitSandbox.Environment },
        CancellationToken.None);
}
