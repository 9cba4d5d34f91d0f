using Aetherflow.Engine.Hosting;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>
/// Finds the prog executable the way a shell would, but on the engine's own PATH (from <see cref="HostEnvironment"/>)
/// rather than the process's, so a missing prog is reported before anything is started.
/// </summary>
internal static class ProgExecutable
{
    /// <summary>execvp's search path when PATH is unset.</summary>
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The full path of <paramref name="executable"/>, or null when there is no such executable file.</summary>
    public static string? Resolve(string executable, HostEnvironment environment)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            string full = Path.GetFullPath(executable);
            return IsExecutableFile(full) ? full : null;
        }

        foreach (string folder in (environment.Get("PATH") ?? DefaultPath).Split(':'))
        {
            string candidate = Path.Combine(folder.Length == 0 ? "." : folder, executable);
            if (IsExecutableFile(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsExecutableFile(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
