using System.Collections;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// A snapshot of the environment variables the engine reads, passed in rather than read from the process so tests can
/// give each engine its own HOME and XDG folders.
/// </summary>
public sealed class HostEnvironment
{
    public HostEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        Variables = variables;
    }

    /// <summary>All variables.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The current process's environment.</summary>
    public static HostEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return new HostEnvironment(variables);
    }

    /// <summary>The value of <paramref name="name"/>, or null when unset or empty.</summary>
    public string? Get(string name) => Variables.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;
}
