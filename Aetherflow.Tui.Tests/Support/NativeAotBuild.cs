using System.Diagnostics;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// The shipped build of <c>aetherflow</c>: <c>dotnet publish Aetherflow.Tui -c Release -r linux-x64</c>, a Native AOT
/// executable. Published once per fixture into a temporary folder (one to three minutes), or taken from
/// <c>AETHERFLOW_AOT_BINARY</c> when that names a binary published beforehand.
/// </summary>
internal sealed class NativeAotBuild : IDisposable
{
    /// <summary>Names an already published binary to test instead of publishing one.</summary>
    public const string BinaryVariable = "AETHERFLOW_AOT_BINARY";

    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);
    private readonly string? ownedFolder;

    private NativeAotBuild(string executable, string? ownedFolder)
    {
        Executable = executable;
        this.ownedFolder = ownedFolder;
    }

    /// <summary>The published <c>aetherflow</c>.</summary>
    public string Executable { get; }

    /// <summary>The folder the binary was published to, with the native libraries beside it.</summary>
    public string Folder => Path.GetDirectoryName(Executable)!;

    /// <summary>Publishes the Native AOT build (or takes <see cref="BinaryVariable"/>); fails the fixture with the build's output when that fails.</summary>
    public static async Task<NativeAotBuild> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } given)
        {
            Assert.That(File.Exists(given), Is.True, $"{BinaryVariable}={given} does not exist");
            TestContext.Progress.WriteLine($"testing the Native AOT build {given} ({BinaryVariable})");
            return new NativeAotBuild(given, ownedFolder: null);
        }

        string folder = Directory.CreateTempSubdirectory("afaot-").FullName;
        string project = Path.Combine(OfflineProject.RepositoryRoot(), "Aetherflow.Tui", "Aetherflow.Tui.csproj");
        TestContext.Progress.WriteLine($"publishing the Native AOT build of {project} to {folder} (one to three minutes)");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };

        // No build servers: a compiler server started here would keep this process's output pipes open after the
        // publish ends, and outlive the test run.
        foreach (string argument in new[] { "publish", project, "-c", "Release", "-r", "linux-x64", "-o", folder, "--disable-build-servers", "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using Process publish = Process.Start(start)!;
        Task<string> output = publish.StandardOutput.ReadToEndAsync();
        Task<string> error = publish.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(PublishLimit);
        try
        {
            await publish.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            Assert.Fail($"publishing the Native AOT build took over {PublishLimit.TotalMinutes:0} minutes and was stopped");
        }

        string log = (await output) + (await error);
        if (publish.ExitCode != 0)
        {
            Assert.Fail($"publishing the Native AOT build failed (exit {publish.ExitCode}); 'dotnet publish Aetherflow.Tui -c Release -r linux-x64' shows why:\n{Tail(log, 60)}");
        }

        TestContext.Progress.WriteLine($"published the Native AOT build in {watch.Elapsed.TotalSeconds:0} s");
        return new NativeAotBuild(Path.Combine(folder, "aetherflow"), folder);
    }

    /// <summary>Starts the binary as a long-running child process (an engine, a watch).</summary>
    public TestProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        TestProcess.Start((Executable, []), workingDirectory, environment, args);

    /// <summary>Runs one command of the binary to its end.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using TestProcess run = Start(workingDirectory, environment, args);
        try
        {
            await run.Process.WaitForExitAsync().WaitAsync(CommandLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"aetherflow {string.Join(' ', args)} did not end within {CommandLimit.TotalSeconds:0} s; stdout:\n{run.Output}\nstderr:\n{run.Error}");
        }

        return (run.Process.ExitCode, run.Output, run.Error);
    }

    public void Dispose()
    {
        if (ownedFolder is not null)
        {
            Directory.Delete(ownedFolder, recursive: true);
        }
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
