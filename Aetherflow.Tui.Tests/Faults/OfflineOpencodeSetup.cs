using System.Text.Json;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Faults;

/// <summary>
/// Points the real <c>aetherflow</c> binary at the real opencode from <c>.tools/opencode</c> and the scripted model,
/// fully offline, through the user-level opencode config of a test home — exactly how a user's own configuration
/// reaches the managed server.
/// </summary>
internal static class OfflineOpencodeSetup
{
    public static void Apply(TestHome home, ScriptedModelServer model)
    {
        string configDirectory = Path.Combine(home.Variables["XDG_CONFIG_HOME"], "opencode");
        Directory.CreateDirectory(configDirectory);
        File.WriteAllText(Path.Combine(configDirectory, "opencode.json"), model.CreateOpencodeConfig());
        OpencodeConfigDirectory.SeedPluginDependencies(configDirectory, "1.18.33");
        home.Variables["OPENCODE_DISABLE_MODELS_FETCH"] = "1";
        home.Variables["OPENCODE_DISABLE_SHARE"] = "1";
        home.Variables["AETHERFLOW_OPENCODE_BIN"] = Opencode();
    }

    /// <summary>The pid of the managed opencode server, read from the engine's process ledger.</summary>
    public static int ServerPid(TestHome home, string project)
    {
        string ledger = Path.Combine(home.Variables["XDG_STATE_HOME"], "aetherflow", "projects", project, "processes.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(ledger));
        return document.RootElement.EnumerateArray().Single(e => e.GetProperty("Kind").GetString() == "opencode server").GetProperty("Pid").GetInt32();
    }

    private static string Opencode()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ".tools", "opencode", "node_modules", ".bin", "opencode");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("opencode is not installed for the tests: run scripts/install-test-tools.sh");
        return string.Empty;
    }
}
