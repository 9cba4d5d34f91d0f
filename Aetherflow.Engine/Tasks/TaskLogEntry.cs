namespace Aetherflow.Engine.Tasks;

/// <summary>One entry of a task's append-only log (checkpoints, handoffs, engine notes).</summary>
public sealed record TaskLogEntry(string Message, DateTimeOffset CreatedAt);
