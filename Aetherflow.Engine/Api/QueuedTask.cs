namespace Aetherflow.Engine.Api;

/// <summary>A ready task waiting for a pool slot.</summary>
public sealed record QueuedTask(string Id, int Priority, string Title);
