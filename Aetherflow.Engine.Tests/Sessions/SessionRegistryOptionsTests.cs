using Aetherflow.Engine.Config;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>Where the registry folder is, from <c>session_dir</c> or the XDG default.</summary>
public sealed class SessionRegistryOptionsTests
{
    private TestHome home = null!;

    [SetUp]
    public void SetUp() => home = new TestHome();

    [TearDown]
    public void TearDown() => home.Dispose();

    [Test]
    public void Without_session_dir_the_folder_is_under_XDG_CONFIG_HOME()
    {
        string project = home.CreateProject();

        SessionRegistryOptions options = SessionRegistryOptions.FromConfig(ConfigLoader.Load(new ConfigLoadRequest { ProjectDirectory = project }), home.Paths);

        Assert.That(options.Directory, Is.EqualTo(Path.Combine(home.Root, "config", "aetherflow", "sessions")));
    }

    [Test]
    public void Session_dir_expands_home_and_resolves_relative_paths_from_the_project()
    {
        string project = home.CreateProject();

        Assert.Multiple(() =>
        {
            Assert.That(SessionRegistryOptions.ResolveDirectory("~/reg", home.Paths, project), Is.EqualTo(Path.Combine(home.Home, "reg")));
            Assert.That(SessionRegistryOptions.ResolveDirectory("state/reg", home.Paths, project), Is.EqualTo(Path.Combine(project, "state", "reg")));
            Assert.That(SessionRegistryOptions.ResolveDirectory("/var/tmp/reg", home.Paths, project), Is.EqualTo("/var/tmp/reg"));
        });
    }

    [Test]
    public void A_relative_folder_is_refused_by_the_registry()
    {
        var error = Assert.Throws<ArgumentException>(() => new SessionRegistry(new SessionRegistryOptions { Directory = "relative" }));

        Assert.That(error!.Message, Does.Contain("absolute"));
    }
}
