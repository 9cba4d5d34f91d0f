using System.Text;

namespace Aetherflow.Engine.Prompts;

/// <summary>
/// The prompt templates in use: the ones built into the engine assembly, each optionally replaced by a file of the
/// same name in the <c>prompt_dir</c> folder. Everything is read and parsed once, at startup, so a bad override fails
/// the start with one line instead of failing an agent later; edits to override files take effect on restart.
/// </summary>
/// <remarks>
/// An override folder must exist and hold at least one of <c>worker.md</c>, <c>planner.md</c>, <c>spawn.md</c>,
/// <c>handoff.md</c>. A template it does not hold falls back to the built-in one, so a project can replace only the
/// worker prompt. Other <c>.md</c> files in the folder are reported in <see cref="Warnings"/> (usually a misspelled
/// name) and ignored.
/// </remarks>
public sealed class PromptLibrary
{
    /// <summary>The largest template file accepted.</summary>
    public const int MaxTemplateBytes = 256 * 1024;

    private readonly IReadOnlyDictionary<string, PromptTemplate> templates;

    private PromptLibrary(
        IReadOnlyDictionary<string, PromptTemplate> templates,
        IReadOnlyList<PromptSource> sources,
        string? overrideDirectory,
        IReadOnlyList<string> warnings)
    {
        this.templates = templates;
        Sources = sources;
        OverrideDirectory = overrideDirectory;
        Warnings = warnings;
    }

    /// <summary>The absolute override folder, or null when every template is built in.</summary>
    public string? OverrideDirectory { get; }

    /// <summary>Where each role's template comes from, in <see cref="PromptRoles.All"/> order.</summary>
    public IReadOnlyList<PromptSource> Sources { get; }

    /// <summary>Things worth a warning in the engine log (ignored files in the override folder).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>One line for the engine log saying which templates are active.</summary>
    public string Summary
    {
        get
        {
            List<string> overridden = Sources.Where(s => !s.IsEmbedded).Select(s => s.Role).ToList();
            List<string> builtIn = Sources.Where(s => s.IsEmbedded).Select(s => s.Role).ToList();
            if (overridden.Count == 0)
            {
                return $"prompts: built in ({string.Join(", ", builtIn)})";
            }

            string summary = $"prompts: {string.Join(", ", overridden)} from {OverrideDirectory}";
            return builtIn.Count == 0 ? summary : $"{summary}; {string.Join(", ", builtIn)} built in";
        }
    }

    /// <summary>Only the templates built into aetherflow.</summary>
    public static PromptLibrary Embedded(AssetCatalog? assets = null) => Build(null, assets ?? new AssetCatalog());

    /// <summary>Loads the built-in templates and the overrides in <paramref name="promptDir"/>.</summary>
    /// <param name="promptDir">The <c>prompt_dir</c> setting: empty for none, else absolute or relative to the project.</param>
    /// <param name="projectDirectory">The project root that a relative <paramref name="promptDir"/> is resolved against.</param>
    /// <param name="assets">The embedded assets (default: the engine's).</param>
    /// <exception cref="PromptException">The folder is missing or holds no template, or a template is unreadable or malformed.</exception>
    public static PromptLibrary Load(string? promptDir, string projectDirectory, AssetCatalog? assets = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        string? folder = string.IsNullOrWhiteSpace(promptDir)
            ? null
            : Path.GetFullPath(promptDir, Path.GetFullPath(projectDirectory));
        return Build(folder, assets ?? new AssetCatalog());
    }

    /// <summary>The template of <paramref name="role"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="role"/> is not one of <see cref="PromptRoles.All"/>.</exception>
    public PromptTemplate Get(string role) => templates[PromptRoles.Require(role)];

    private static PromptLibrary Build(string? folder, AssetCatalog assets)
    {
        var overrides = folder is null ? new Dictionary<string, string>() : FindOverrides(folder);

        var templates = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        var sources = new List<PromptSource>();
        foreach (string role in PromptRoles.All)
        {
            string fileName = PromptRoles.FileName(role);
            if (overrides.TryGetValue(role, out string? path))
            {
                templates[role] = PromptTemplate.Parse(path, ReadOverride(path));
                sources.Add(new PromptSource(role, path));
            }
            else
            {
                templates[role] = PromptTemplate.Parse($"{fileName} (built in)", assets.ReadText("prompts/" + fileName));
                sources.Add(new PromptSource(role, null));
            }
        }

        return new PromptLibrary(templates, sources, folder, folder is null ? [] : IgnoredFiles(folder));
    }

    private static Dictionary<string, string> FindOverrides(string folder)
    {
        if (File.Exists(folder))
        {
            throw new PromptException($"prompt_dir '{folder}' is a file; point prompt_dir at a folder that holds {TemplateList()}");
        }

        if (!Directory.Exists(folder))
        {
            throw new PromptException($"prompt_dir '{folder}' does not exist; create it with the templates to override ({TemplateList()}) or remove prompt_dir");
        }

        // Paths are built only from the fixed role names, never from input, so nothing can point outside the folder.
        var found = PromptRoles.All
            .Select(role => (role, path: Path.Combine(folder, PromptRoles.FileName(role))))
            .Where(x => File.Exists(x.path))
            .ToDictionary(x => x.role, x => x.path, StringComparer.Ordinal);
        if (found.Count == 0)
        {
            throw new PromptException($"prompt_dir '{folder}' holds none of {TemplateList()}; add the templates to override or remove prompt_dir");
        }

        return found;
    }

    private static string ReadOverride(string path)
    {
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxTemplateBytes)
            {
                throw new PromptException($"prompt template {path} is {length} bytes; the limit is {MaxTemplateBytes}, shorten it");
            }

            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PromptException($"cannot read prompt template {path}: {ex.Message}", ex);
        }
    }

    private static List<string> IgnoredFiles(string folder)
    {
        var known = PromptRoles.All.Select(PromptRoles.FileName).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFiles(folder, "*.md")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !known.Contains(name))
            .Order(StringComparer.Ordinal)
            .Select(name => $"prompt_dir file {Path.Combine(folder, name)} is not a prompt template ({TemplateList()}) and is ignored")
            .ToList();
    }

    private static string TemplateList() => string.Join(", ", PromptRoles.All.Select(PromptRoles.FileName));
}
