namespace Aetherflow.Engine.Config;

/// <summary>Everything the configuration is merged from.</summary>
public sealed record ConfigLoadRequest
{
    /// <summary>The project's root folder; an implicit <c>.aetherflow.yaml</c> is looked for here.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>An explicit config file (<c>--config</c>); it must exist.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The process environment (only <c>AETHERFLOW_*</c> variables are read).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Flag values by key name (e.g. <c>pool_size</c> → <c>"5"</c>), highest precedence.</summary>
    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>();
}
