namespace Aetherflow.Engine.Git;

/// <summary>
/// A git call failed, could not start or timed out. The message is one line naming the git command and git's first
/// stderr line, e.g. <c>git fetch origin … failed (exit 128): fatal: 'origin' does not appear to be a git repository</c>.
/// </summary>
public sealed class GitException : Exception
{
    public GitException(string message)
        : base(message)
    {
        Command = string.Empty;
    }

    public GitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = string.Empty;
    }

    public GitException()
    {
        Command = string.Empty;
    }

    internal GitException(string command, int? exitCode, string firstErrorLine, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Command = command;
        ExitCode = exitCode;
        FirstErrorLine = firstErrorLine;
    }

    /// <summary>The git command as shown in the message (<c>git</c> and its arguments, shortened when long).</summary>
    public string Command { get; }

    /// <summary>git's exit code, or null when it did not run to the end (could not start, timed out).</summary>
    public int? ExitCode { get; }

    /// <summary>git's first stderr line, when it wrote one.</summary>
    public string FirstErrorLine { get; } = string.Empty;
}
