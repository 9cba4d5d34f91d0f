using System.Runtime.CompilerServices;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// Approved text snapshots kept beside the tests in <c>Snapshots/&lt;name&gt;.approved.txt</c>. A missing or different
/// snapshot fails the test and writes <c>.received.txt</c> next to it; set <c>AETHERFLOW_APPROVE=1</c> to accept
/// the received text (review the diff before committing).
/// </summary>
public static class Approvals
{
    public static void Verify(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        string folder = Path.Combine(FindTestsRoot(callerFile), "Snapshots");
        string approved = Path.Combine(folder, name + ".approved.txt");
        string received = Path.Combine(folder, name + ".received.txt");
        string normalised = Normalise(actual);
        if (File.Exists(approved) && Normalise(File.ReadAllText(approved)) == normalised)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(folder);
        if (Environment.GetEnvironmentVariable("AETHERFLOW_APPROVE") == "1")
        {
            File.WriteAllText(approved, normalised);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalised);
        string expected = File.Exists(approved) ? File.ReadAllText(approved) : "(no approved snapshot yet)";
        Assert.Fail($"screen differs from {approved}\n--- approved\n{expected}\n--- received ({received})\n{normalised}");
    }

    // Trailing spaces are invisible in review and vary with terminal fill; compare without them.
    private static string Normalise(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n') + "\n";

    private static string FindTestsRoot(string callerFile)
    {
        for (DirectoryInfo? dir = new FileInfo(callerFile).Directory; dir is not null; dir = dir.Parent)
        {
            if (dir.GetFiles("*.csproj").Length > 0)
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no test project above {callerFile}");
    }
}
