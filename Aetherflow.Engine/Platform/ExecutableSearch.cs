namespace Aetherflow.Engine.Platform;

/// <summary>Finds the file a program name refers to, with errors that say what to fix.</summary>
internal static class ExecutableSearch
{
    // What glibc's execvp uses when PATH is unset.
    private const string DefaultPath = "/bin:/usr/bin";

    /// <summary>
    /// Resolves <paramref name="executable"/>: a bare name on <paramref name="path"/> (the child's PATH), a name with a
    /// slash relative to <paramref name="workingDirectory"/>. Throws <see cref="ProcessLaunchException"/>.
    /// </summary>
    public static string Resolve(string executable, string? path, string workingDirectory)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            string full = Path.GetFullPath(executable, workingDirectory);
            if (Directory.Exists(full))
            {
                throw new ProcessLaunchException($"cannot start '{executable}': {full} is a folder, not a program");
            }

            if (!File.Exists(full))
            {
                throw new ProcessLaunchException($"cannot start '{executable}': {full} does not exist; check the path");
            }

            if (!IsExecutable(full))
            {
                throw new ProcessLaunchException($"cannot start '{executable}': {full} is not executable; make it executable (chmod +x)");
            }

            return full;
        }

        string? notExecutable = null;
        foreach (string folder in (path ?? DefaultPath).Split(':'))
        {
            // An empty or relative PATH entry would make the program depend on the agent's worktree; skip it.
            if (!Path.IsPathRooted(folder))
            {
                continue;
            }

            string candidate = Path.Combine(folder, executable);
            if (File.Exists(candidate))
            {
                if (IsExecutable(candidate))
                {
                    return candidate;
                }

                notExecutable ??= candidate;
            }
        }

        throw new ProcessLaunchException(notExecutable is null
            ? $"cannot start '{executable}': no such program on PATH; install it or give its full path"
            : $"cannot start '{executable}': {notExecutable} is not executable; make it executable (chmod +x)");
    }

    private static bool IsExecutable(string file) => UnixNative.Access(file, UnixNative.XOk) == 0;
}
