using Aetherflow.Engine.Config;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Prompts;

/// <summary>The project facts the prompts are rendered with.</summary>
public sealed record PromptOptions
{
    /// <summary>Which tracker's commands the task prompts name.</summary>
    public required TrackerKind Tracker { get; init; }

    /// <summary>The project name (the tracker project, for prog's <c>-p</c>).</summary>
    public required string Project { get; init; }

    /// <summary>The absolute path of the project's main checkout (solo landing merges there).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>True when agents merge their own branch into the base branch; false when they leave it for review.</summary>
    public bool Solo { get; init; }

    /// <summary>The branch agents start from and land on.</summary>
    public string BaseBranch { get; init; } = "main";

    /// <summary>The git remote agents push to (it may not exist; the prompts tolerate that).</summary>
    public string Remote { get; init; } = "origin";

    /// <summary>The options an engine with <paramref name="config"/> renders prompts with.</summary>
    public static PromptOptions FromConfig(AetherflowConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PromptOptions
        {
            Tracker = config.TaskSource == "prog" ? TrackerKind.Prog : TrackerKind.Builtin,
            Project = config.Project,
            ProjectDirectory = config.ProjectDirectory,
            Solo = config.Solo,
            BaseBranch = config.BaseBranch,
            Remote = config.Remote,
        };
    }

    /// <summary>Throws when a value could not be put into a command line in a prompt safely.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    internal void Validate()
    {
        if (!Enum.IsDefined(Tracker))
        {
            throw new ArgumentException($"unknown tracker kind {Tracker}", nameof(Tracker));
        }

        if (!Identifiers.IsProjectName(Project))
        {
            throw new ArgumentException($"'{Project}' is not a valid project name: {Identifiers.ProjectNameRule}", nameof(Project));
        }

        if (string.IsNullOrEmpty(ProjectDirectory) || !Path.IsPathFullyQualified(ProjectDirectory))
        {
            throw new ArgumentException($"the project directory must be an absolute path, got '{ProjectDirectory}'", nameof(ProjectDirectory));
        }

        if (!IsGitName(BaseBranch))
        {
            throw new ArgumentException($"'{BaseBranch}' is not a valid branch name", nameof(BaseBranch));
        }

        if (!IsGitName(Remote))
        {
            throw new ArgumentException($"'{Remote}' is not a valid remote name", nameof(Remote));
        }
    }

    // The same rule as the base_branch and remote config keys: nothing a shell would interpret.
    private static bool IsGitName(string? name) =>
        name is { Length: > 0 and <= 200 } && !name.StartsWith('-') && !name.Contains("..", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/');
}
