namespace Aetherflow.Engine.Tests.Prompts;

/// <summary>The <c>assets/</c> folder of the source tree the tests were built from.</summary>
internal static class RepoAssets
{
    public static string Folder { get; } = Find();

    /// <summary>Every file under <c>assets/&lt;folder&gt;</c>, as a path relative to <c>assets/</c> with '/' separators.</summary>
    public static IReadOnlyList<string> FilesUnder(string folder)
    {
        string root = Path.Combine(Folder, folder);
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    private static string Find()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "aetherflow.sln")))
            {
                return Path.Combine(dir.FullName, "assets");
            }
        }

        throw new InvalidOperationException("aetherflow.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
