namespace Aetherflow.Engine.Git;

/// <summary>What one git call returned. Success is decided by <see cref="ExitCode"/>, never by the text.</summary>
/// <param name="ExitCode">git's exit code.</param>
/// <param name="StandardOutput">Everything git wrote to stdout.</param>
/// <param name="StandardError">Everything git wrote to stderr.</param>
public sealed record GitResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when git exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The non-empty lines of stdout, trimmed of line endings.</summary>
    public IReadOnlyList<string> OutputLines =>
        StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    /// <summary>The first non-empty line git wrote to stderr, for one-line error messages; empty when there is none.</summary>
    public string FirstErrorLine =>
        StandardError.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
}
