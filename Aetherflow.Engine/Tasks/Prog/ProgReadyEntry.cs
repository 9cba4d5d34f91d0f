namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>One element of <c>prog ready --json</c>: only these five fields.</summary>
internal sealed class ProgReadyEntry
{
    public string? Id { get; set; }

    public string? Title { get; set; }

    public int Priority { get; set; }

    public string? Type { get; set; }

    public string? Parent { get; set; }
}
