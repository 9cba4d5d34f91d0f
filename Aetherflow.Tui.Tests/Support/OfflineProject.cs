using System.Diagnostics;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.ScriptedModel;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// A project the real <c>aetherflow</c> can run real opencode agents in, fully offline: a git repository with a
/// commit, the scripted model as the only opencode provider (user config in the test home, npm state pre-seeded, no
/// models catalog fetch), and the pinned opencode on PATH. The managed opencode server inherits this environment.
/// </summary>
internal static class OfflineProject
{
    public static Dictionary<string, string> Prepare(TestHome home, ScriptedModelServer model, string project)
    {
        string opencode = OpencodeBinary();
        string configDirectory = Path.Combine(home.Variables["XDG_CONFIG_HOME"], "opencode");
        OpencodeConfigDirectory.SeedPluginDependencies(configDirectory);
        File.WriteAllText(Path.Combine(configDirectory, "opencode.json"), model.CreateOpencodeConfig());
        var variables = new Dictionary<string, string>(home.Variables)
        {
            ["PATH"] = Path.GetDirectoryName(opencode) + ":" + home.Variables["PATH"],
            ["OPENCODE_DISABLE_MODELS_FETCH"] = "1",
            ["OPENCODE_DISABLE_SHARE"] = "1",
            ["OPENCODE_DISABLE_LSP_DOWNLOAD"] = "1",
            ["LANG"] = "C.UTF-8",
        };
        foreach (string name in new[] { "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL" })
        {
            variables[name] = Environment.GetEnvironmentVariable(name) ?? "aetherflow-tests@example.invalid";
        }

        foreach (string name in new[] { "DOTNET_ROOT", "DOTNET_CLI_HOME" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                variables[name] = value;
            }
        }

        File.WriteAllText(Path.Combine(home.ProjectDirectory, ".aetherflow.yaml"), $"project: {project}\nopencode_bin: {opencode}\npool_size: 2\n");
        InitGit(home.ProjectDirectory, variables);
        return variables;
    }

    /// <summary>Makes the project a git repository with one commit (agents work in worktrees of it).</summary>
    public static void InitGit(string directory, IReadOnlyDictionary<string, string> variables)
    {
        File.WriteAllText(Path.Combine(directory, "README.md"), "# demo\n");
        Git(directory, variables, "init", "-q", "-b", "main");
        Git(directory, variables, "add", "-A");
        Git(directory, variables, "commit", "-q", "-m", "initial");
    }

    /// <summary>The pinned opencode (<c>AETHERFLOW_TEST_OPENCODE</c>, else <c>.tools/opencode</c> of the checkout); fails the test when missing.</summary>
    public static string OpencodeBinary()
    {
        if (Environment.GetEnvironmentVariable("AETHERFLOW_TEST_OPENCODE") is { Length: > 0 } configured)
        {
            return configured;
        }

        string candidate = Path.Combine(RepositoryRoot(), ".tools", "opencode", "node_modules", ".bin", "opencode");
        if (!File.Exists(candidate))
        {
            Assert.Fail($"opencode is not installed for the tests ({candidate} is missing): run scripts/install-test-tools.sh, or set AETHERFLOW_TEST_OPENCODE");
        }

        return candidate;
    }

    /// <summary>The checkout the tests run from (the folder holding aetherflow.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "aetherflow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no aetherflow.sln above {AppContext.BaseDirectory}");
    }

    private static void Git(string directory, IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in variables)
        {
            start.Environment[key] = value;
        }

        foreach (string name in new[] { "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL" })
        {
            if (!variables.ContainsKey(name))
            {
                start.Environment[name] = "aetherflow-tests@example.invalid";
            }
        }

        using Process git = Process.Start(start)!;
        string error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.That(git.ExitCode, Is.Zero, $"git {string.Join(' ', args)}: {error}");
    }
}
