using System.Buffers;
using System.Text.RegularExpressions;

namespace Aetherflow.Engine.Text;

/// <summary>
/// Validation of every identifier that can reach a file path, a socket name or a child process's argv. Identifiers are
/// checked at the boundary where they enter the engine (config, RPC, tracker output), never trusted later.
/// </summary>
public static partial class Identifiers
{
    /// <summary>The longest project name or task id accepted.</summary>
    public const int MaxNameLength = 64;

    // Checked per event (every event names its session): a vectorised set test instead of a regex match.
    private static readonly SearchValues<char> SessionIdChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>What a valid project name looks like, for error messages.</summary>
    public const string ProjectNameRule = "use letters, digits, '.', '_' and '-', not starting with '.' or '-', at most 64 characters";

    /// <summary>True when <paramref name="name"/> is a valid project name: <c>^[A-Za-z0-9][A-Za-z0-9._-]*$</c>, no <c>..</c>.</summary>
    public static bool IsProjectName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && SafeName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>True when <paramref name="id"/> is a valid task id (same rule as project names).</summary>
    public static bool IsTaskId(string? id) => IsProjectName(id);

    /// <summary>True when <paramref name="id"/> is a valid opencode session id: <c>[A-Za-z0-9_-]{1,128}</c>.</summary>
    public static bool IsSessionId(string? id) => id is { Length: > 0 and <= 128 } && !id.AsSpan().ContainsAnyExcept(SessionIdChars);

    /// <summary>
    /// Turns arbitrary text (a directory name) into a valid project name, or returns null when nothing usable is left.
    /// </summary>
    public static string? ToProjectName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray();
        string candidate = new string(chars).TrimStart('.', '-').Replace("..", ".", StringComparison.Ordinal);
        if (candidate.Length > MaxNameLength)
        {
            candidate = candidate[..MaxNameLength];
        }

        return IsProjectName(candidate) ? candidate : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();


}
