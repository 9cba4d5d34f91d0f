using Aetherflow.Engine.Hosting;

namespace Aetherflow.Engine.Platform;

/// <summary>Finds a program the way a shell would: a path as given, a bare name on PATH.</summary>
public static class ExecutableResolver
{
    /// <summary>The full path of <paramref name="program"/>, or null when it cannot be found or run.</summary>
    public static string? Find(string program, HostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(environment);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(program) ? Path.GetFullPath(program) : null;
        }

        foreach (string folder in (environment.Get("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
