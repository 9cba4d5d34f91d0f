using System.Text.Json.Nodes;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

public sealed class ConfigCommandTests
{
    [Test]
    public async Task Prints_every_value_with_where_it_came_from()
    {
        using var home = new TestHome();
        home.WriteConfig("pool_size: 5\nmax_retries: 0\n");
        home.Variables["AETHERFLOW_POLL_INTERVAL"] = "3s";

        var (code, output, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "config", "--solo", "false");

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Match(@"pool_size\s+5\s+file \.aetherflow\.yaml:1:12"));
        Assert.That(output, Does.Match(@"max_retries\s+0\s+file \.aetherflow\.yaml:2:14"));
        Assert.That(output, Does.Match(@"poll_interval\s+3s\s+env AETHERFLOW_POLL_INTERVAL"));
        Assert.That(output, Does.Match(@"solo\s+false\s+flag --solo"));
        Assert.That(output, Does.Match(@"reconcile_interval\s+30s\s+default"));
        Assert.That(output, Does.Match(@"project\s+demo\s+default \(directory name\)"));
    }

    [Test]
    public async Task Json_output_has_typed_values_and_sources()
    {
        using var home = new TestHome();
        home.WriteConfig("pool_size: 5\n");

        var (code, output, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "config", "--json", "--solo");

        Assert.That(code, Is.Zero);
        JsonArray values = JsonNode.Parse(output)!["values"]!.AsArray();
        JsonNode Entry(string key) => values.First(v => v!["key"]!.GetValue<string>() == key)!;
        Assert.Multiple(() =>
        {
            Assert.That(Entry("pool_size")["value"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(Entry("pool_size")["source"]!.GetValue<string>(), Is.EqualTo("file"));
            Assert.That(Entry("solo")["value"]!.GetValue<bool>(), Is.True);
            Assert.That(Entry("solo")["source"]!.GetValue<string>(), Is.EqualTo("flag"));
            Assert.That(Entry("poll_interval")["value"]!.GetValue<string>(), Is.EqualTo("10s"));
            Assert.That(Entry("poll_interval")["environment"]!.GetValue<string>(), Is.EqualTo("AETHERFLOW_POLL_INTERVAL"));
        });
    }

    [Test]
    public async Task A_config_error_is_one_line_on_stderr_with_exit_code_2()
    {
        using var home = new TestHome();
        home.WriteConfig("pol_interval: 5s\n");

        var (code, output, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "config");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo("aetherflow: .aetherflow.yaml:1:1: unknown key 'pol_interval'; did you mean 'poll_interval'?\n"));
    }

    [Test]
    public async Task The_project_root_is_found_from_a_subfolder()
    {
        using var home = new TestHome();
        home.WriteConfig("project: rooted\n");
        string nested = Directory.CreateDirectory(Path.Combine(home.ProjectDirectory, "src", "deep")).FullName;

        var (code, output, _) = await CliRunner.RunAsync(nested, home.Variables, "config");

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Match(@"project\s+rooted\s+file"));
    }

    [Test]
    public async Task The_project_flag_wins_and_is_validated()
    {
        using var home = new TestHome();

        var (ok, output, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "config", "-p", "other");
        var (bad, _, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "config", "-p", "../etc");

        Assert.That(ok, Is.Zero);
        Assert.That(output, Does.Match(@"project\s+other\s+flag --project"));
        Assert.That(bad, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("aetherflow: flag --project: project '../etc' is not a valid project name"));
    }
}
