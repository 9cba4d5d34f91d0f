using System.Reflection;

namespace Aetherflow.Engine.Prompts;

/// <summary>
/// The files of <c>assets/</c> that are embedded in the engine assembly, addressed by their path relative to
/// <c>assets/</c> with <c>/</c> separators: <c>prompts/worker.md</c>, <c>skills/review-auto/SKILL.md</c>,
/// <c>agents/aetherflow-code-reviewer.md</c>. <c>aetherflow install</c> copies the <see cref="InstallablePaths"/>
/// into opencode's config folder; the prompts are read by <see cref="PromptLibrary"/>.
/// </summary>
public sealed class AssetCatalog
{
    /// <summary>The prefix of every asset's manifest resource name (set with <c>LogicalName</c> in the csproj).</summary>
    internal const string ResourcePrefix = "assets/";

    /// <summary>The top-level folders whose files are installed into opencode's config folder.</summary>
    public static IReadOnlyList<string> InstallableFolders { get; } = ["skills", "agents", "plugins"];

    private readonly Assembly assembly;
    private readonly Dictionary<string, string> resourceNames;

    /// <summary>The assets embedded in the engine assembly.</summary>
    public AssetCatalog()
        : this(typeof(AssetCatalog).Assembly)
    {
    }

    /// <summary>The assets embedded in <paramref name="assembly"/> (tests).</summary>
    internal AssetCatalog(Assembly assembly)
    {
        this.assembly = assembly;
        resourceNames = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(n => n[ResourcePrefix.Length..].Replace('\\', '/'), StringComparer.Ordinal);
        Paths = resourceNames.Keys.Order(StringComparer.Ordinal).ToList();
        InstallablePaths = Paths.Where(p => InstallableFolders.Any(f => p.StartsWith(f + "/", StringComparison.Ordinal))).ToList();
    }

    /// <summary>Every embedded asset, sorted.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The skills, agent definitions and plugins to copy into opencode's config folder, sorted.</summary>
    public IReadOnlyList<string> InstallablePaths { get; }

    /// <summary>True when <paramref name="relativePath"/> names an embedded asset.</summary>
    public bool Contains(string relativePath) => resourceNames.ContainsKey(relativePath);

    /// <summary>The bytes of one asset.</summary>
    /// <exception cref="ArgumentException">No asset has that path.</exception>
    public byte[] ReadBytes(string relativePath)
    {
        using Stream stream = Open(relativePath);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The text of one asset (UTF-8).</summary>
    /// <exception cref="ArgumentException">No asset has that path.</exception>
    public string ReadText(string relativePath)
    {
        using var reader = new StreamReader(Open(relativePath), System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private Stream Open(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (!resourceNames.TryGetValue(relativePath, out string? resourceName))
        {
            throw new ArgumentException($"'{relativePath}' is not an embedded asset; known assets: {string.Join(", ", Paths)}", nameof(relativePath));
        }

        return assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded asset '{relativePath}' is listed but cannot be opened");
    }
}
