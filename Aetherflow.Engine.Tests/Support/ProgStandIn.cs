using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Tasks.Prog;
using CliWrap;
using CliWrap.Buffered;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>
/// The prog stand-in (<c>Tools/prog</c>, a python3 script that follows prog's CLI contract) with its own database in a
/// test home. Runs it directly for seeding and inspection, and builds <see cref="ProgOptions"/> that point at it.
/// </summary>
public sealed class ProgStandIn
{
    private const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <param name="home">The test home; HOME, XDG and PATH come from it.</param>
    /// <param name="databaseName">File name of this tracker's database under the home's root.</param>
    public ProgStandIn(TestHome home, string databaseName = "prog.db")
    {
        ArgumentNullException.ThrowIfNull(home);
        EnsureExecutable();
        DatabasePath = Path.Combine(home.Root, databaseName);
        Variables = new Dictionary<string, string>(home.Variables)
        {
            ["PROG_DB"] = DatabasePath,
            // Backups (VACUUM INTO $HOME/.prog/backups after each mutation) only cost time here.
            ["PROG_STANDIN_NO_BACKUP"] = "1",
        };
    }

    /// <summary>The stand-in in the test output folder.</summary>
    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "Tools", "prog");

    public string DatabasePath { get; }

    /// <summary>The environment both the stand-in runs and <see cref="Options"/> get; add test hooks here.</summary>
    public Dictionary<string, string> Variables { get; }

    public HostEnvironment Environment => new(new Dictionary<string, string>(Variables));

    /// <summary>Options for a <see cref="ProgTaskSource"/> on this tracker.</summary>
    public ProgOptions Options(string project = "demo") => new()
    {
        Project = project,
        Executable = ExecutablePath,
        Environment = Environment,
    };

    /// <summary>Runs the stand-in with these arguments (each its own argv element) and returns what it printed.</summary>
    public async Task<ProgRun> RunAsync(params string[] arguments)
    {
        BufferedCommandResult result = await Cli.Wrap(ExecutablePath)
            .WithArguments(arguments)
            .WithEnvironmentVariables(Variables.ToDictionary(p => p.Key, p => (string?)p.Value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new ProgRun(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs the stand-in, fails the test unless it succeeds, and returns its standard output.</summary>
    public async Task<string> RunOkAsync(params string[] arguments)
    {
        ProgRun run = await RunAsync(arguments);
        Assert.That(run.ExitCode, Is.Zero, $"prog {string.Join(' ', arguments)} failed: {run.StandardError}");
        return run.StandardOutput;
    }

    public Task InitAsync() => RunOkAsync("init");

    /// <summary>Adds a task (more flags after the title) and returns its id.</summary>
    public async Task<string> AddAsync(string title, string project = "demo", params string[] flags) =>
        (await RunOkAsync(["add", title, "-p", project, .. flags])).Trim();

    /// <summary>A fresh build copies the script with its mode; restore the execute bit in case a copy lost it.</summary>
    private static void EnsureExecutable()
    {
        UnixFileMode mode = File.GetUnixFileMode(ExecutablePath);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(ExecutablePath, mode | Execute);
        }
    }
}
