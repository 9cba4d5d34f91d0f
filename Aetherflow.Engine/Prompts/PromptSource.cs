namespace Aetherflow.Engine.Prompts;

/// <summary>Where one role's template comes from.</summary>
/// <param name="Role">The role (<see cref="PromptRoles"/>).</param>
/// <param name="Path">The absolute path of the override file, or null for the template built into aetherflow.</param>
public sealed record PromptSource(string Role, string? Path)
{
    /// <summary>True when the template is the one built into aetherflow.</summary>
    public bool IsEmbedded => Path is null;

    /// <inheritdoc/>
    public override string ToString() => IsEmbedded ? $"{Role}: built in" : $"{Role}: {Path}";
}
