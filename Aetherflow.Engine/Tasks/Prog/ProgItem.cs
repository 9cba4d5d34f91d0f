namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>One item of <c>prog list --json</c>, or the object of <c>prog show --json</c> (which adds <see cref="Logs"/>).</summary>
internal sealed class ProgItem
{
    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? Type { get; set; }

    public string? Status { get; set; }

    public int Priority { get; set; }

    public string? Project { get; set; }

    public string? Parent { get; set; }

    public string? Description { get; set; }

    public string? DefinitionOfDone { get; set; }

    public List<string?>? Labels { get; set; }

    public List<string?>? Dependencies { get; set; }

    public List<ProgLogEntry?>? Logs { get; set; }
}
