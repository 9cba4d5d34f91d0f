using System.Text.Json.Nodes;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

public sealed class OpencodeConfigDirectoryTests
{
    [Test]
    public void Seeding_writes_the_npm_state_opencode_accepts_as_installed()
    {
        using var dir = new TempDirectory();
        string config = dir.Combine("opencode");

        OpencodeConfigDirectory.SeedPluginDependencies(config);

        Assert.That(Directory.Exists(Path.Combine(config, "node_modules")), Is.True);
        JsonNode package = JsonNode.Parse(File.ReadAllText(Path.Combine(config, "package.json")))!;
        JsonNode lockFile = JsonNode.Parse(File.ReadAllText(Path.Combine(config, "package-lock.json")))!;
        Assert.That(package["dependencies"]!["@opencode-ai/plugin"]!.GetValue<string>(), Is.EqualTo("1.18.33"));
        Assert.That(lockFile["lockfileVersion"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(lockFile["packages"]![""]!["dependencies"]!["@opencode-ai/plugin"]!.GetValue<string>(), Is.EqualTo("1.18.33"));
    }

    [Test]
    public void Seeding_never_overwrites_what_is_there()
    {
        using var dir = new TempDirectory();
        string existing = dir.Write("opencode/package.json", "{\"dependencies\":{\"@opencode-ai/plugin\":\"9.9.9\",\"other\":\"1\"}}");

        OpencodeConfigDirectory.SeedPluginDependencies(dir.Combine("opencode"));
        OpencodeConfigDirectory.SeedPluginDependencies(dir.Combine("opencode"), "2.0.0");

        Assert.That(File.ReadAllText(existing), Does.Contain("9.9.9").And.Contain("other"));
        Assert.That(File.ReadAllText(dir.Combine("opencode", "package-lock.json")), Does.Contain("1.18.33"), "the first seed's lock file stays");
    }
}
