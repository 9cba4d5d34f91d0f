namespace Aetherflow.Tui.Tests.Support;

/// <summary>An isolated HOME with XDG folders and a project folder, for commands run in tests.</summary>
internal sealed class TestHome : IDisposable
{
    public TestHome(string project = "demo")
    {
        Root = Directory.CreateTempSubdirectory("aftui-").FullName;
        ProjectDirectory = Path.Combine(Root, "projects", project);
        Directory.CreateDirectory(ProjectDirectory);
        Directory.CreateDirectory(Path.Combine(Root, "home"));
        Variables = new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(Root, "home"),
            ["XDG_CONFIG_HOME"] = Path.Combine(Root, "config"),
            ["XDG_STATE_HOME"] = Path.Combine(Root, "state"),
            ["XDG_CACHE_HOME"] = Path.Combine(Root, "cache"),
            ["XDG_RUNTIME_DIR"] = Path.Combine(Root, "run"),
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
    }

    public string Root { get; }

    public string ProjectDirectory { get; }

    public Dictionary<string, string> Variables { get; }

    public string SocketPath(string project = "demo") => Path.Combine(Root, "run", "aetherflow", project + ".sock");

    public void WriteConfig(string yaml) => File.WriteAllText(Path.Combine(ProjectDirectory, ".aetherflow.yaml"), yaml);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException ex)
        {
            TestContext.Progress.WriteLine($"could not delete {Root}: {ex.Message}");
        }
    }
}
