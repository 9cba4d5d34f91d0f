namespace Aetherflow.Engine.Git;

/// <summary>Settings for one git call that differ from the client's defaults.</summary>
public sealed record GitCallOptions
{
    /// <summary>The call's timeout; null uses <see cref="GitClientOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Text written to git's standard input (e.g. a patch for <c>git patch-id</c>); null gives it none.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Extra environment for this call only, applied after the client's.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
}
