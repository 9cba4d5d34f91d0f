namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>One element of <c>logs</c> in <c>prog show --json</c>; <c>created_at</c> is RFC 3339 in UTC.</summary>
internal sealed class ProgLogEntry
{
    public string? Message { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }
}
