namespace Aetherflow.Engine.Tests.Support;

/// <summary>
/// Finds the real opencode the integration tests drive: <c>AETHERFLOW_TEST_OPENCODE</c>, else the pinned copy that
/// <c>scripts/install-test-tools.sh</c> installs into <c>.tools/opencode</c>. A test that needs it fails (never skips)
/// when it is missing.
/// </summary>
public static class OpencodeTool
{
    public const string EnvironmentVariable = "AETHERFLOW_TEST_OPENCODE";

    /// <summary>The path of the opencode binary; fails the test with what to run when there is none.</summary>
    public static string Require()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            if (!File.Exists(configured))
            {
                Assert.Fail($"{EnvironmentVariable} is set to '{configured}', which does not exist; unset it or point it at an opencode binary");
            }

            return configured;
        }

        string installed = Path.Combine(RepositoryRoot(), ".tools", "opencode", "node_modules", ".bin", "opencode");
        if (!File.Exists(installed))
        {
            Assert.Fail($"opencode is not installed for the tests ({installed} is missing): run scripts/install-test-tools.sh, or set {EnvironmentVariable}");
        }

        return installed;
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
}
