using Aetherflow.Engine.Hosting;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>
/// An isolated user environment for one test: its own HOME and XDG folders under a temp dir, so engines started by
/// different tests never share sockets, registries or journals.
/// </summary>
public sealed class TestHome : IDisposable
{
    private readonly TempDirectory root = new("afhome");

    public TestHome()
    {
        Directory.CreateDirectory(Home);
        Variables = new Dictionary<string, string>
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = root.Combine("config"),
            ["XDG_STATE_HOME"] = root.Combine("state"),
            ["XDG_CACHE_HOME"] = root.Combine("cache"),
            ["XDG_RUNTIME_DIR"] = root.Combine("run"),
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
    }

    public string Root => root.Path;

    public string Home => root.Combine("home");

    public Dictionary<string, string> Variables { get; }

    public HostEnvironment Environment => new(Variables);

    public AetherflowPaths Paths => AetherflowPaths.From(Environment);

    /// <summary>Creates a project folder under this home and returns its path.</summary>
    public string CreateProject(string name = "demo")
    {
        string path = root.Combine("projects", name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => root.Dispose();
}
