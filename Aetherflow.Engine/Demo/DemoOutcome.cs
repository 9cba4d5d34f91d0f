namespace Aetherflow.Engine.Demo;

/// <summary>How a demo run ended.</summary>
/// <param name="Succeeded">Every task is done and its branch is merged into <c>main</c>.</param>
/// <param name="Message">One line: the result, or what went wrong.</param>
/// <param name="Elapsed">How long the run took.</param>
/// <param name="Tasks">Where each task ended up.</param>
public sealed record DemoOutcome(bool Succeeded, string Message, TimeSpan Elapsed, IReadOnlyList<DemoTaskStatus> Tasks);
