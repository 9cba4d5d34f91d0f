using Aetherflow.Engine.Config;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Keeps a command from talking to another project's engine by accident. Sockets are named after the project, so two
/// folders with the same project name would share one: unless the name was given explicitly (<c>-p</c> or
/// <c>AETHERFLOW_PROJECT</c>), the engine must serve the folder the command runs in.
/// </summary>
internal static class ProjectGuard
{
    /// <summary>Why the engine that answered is not this command's, or null when it is.</summary>
    public static string? Problem(AetherflowConfig config, string engineProject, string engineDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (engineProject != config.Project)
        {
            return $"the engine on this project's socket serves project '{engineProject}', not '{config.Project}'; stop it and start the right one";
        }

        bool explicitName = config[ConfigKeys.Project].Origin.Kind is ConfigSourceKind.Flag or ConfigSourceKind.Environment;
        if (explicitName || SameFolder(engineDirectory, config.ProjectDirectory))
        {
            return null;
        }

        return $"the engine for project '{config.Project}' serves {engineDirectory}, not {config.ProjectDirectory}; "
            + "two folders share that project name: set another 'project:' in this folder's .aetherflow.yaml, or pass -p to mean that engine";
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
