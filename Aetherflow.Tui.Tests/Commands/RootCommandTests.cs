using Aetherflow.Engine.Hosting;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

public sealed class RootCommandTests
{
    [Test]
    public async Task Version_prints_the_build_version()
    {
        using var home = new TestHome();

        var (code, output, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "--version");

        Assert.That(code, Is.Zero);
        Assert.That(output.Trim(), Is.EqualTo(BuildInfo.Version));
    }

    [Test]
    public async Task Help_lists_the_global_options_and_only_working_commands()
    {
        using var home = new TestHome();

        var (code, output, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "--help");

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("-p, --project").And.Contain("-c, --config").And.Contain("--no-color").And.Contain("--headless"));
        Assert.That(output, Does.Contain("config"));
    }

    [Test]
    public async Task An_unknown_option_is_a_usage_error()
    {
        using var home = new TestHome();

        var (code, _, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "--bogus");

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("--bogus"));
    }

    [Test]
    public async Task The_engine_refuses_to_start_with_a_bad_config()
    {
        using var home = new TestHome();
        home.WriteConfig("pool_size: 0\n");

        var (code, _, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "--headless");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Is.EqualTo("aetherflow: .aetherflow.yaml:1:12: pool_size must be between 1 and 256, got 0\n"));
    }
}
