namespace Aetherflow.Tui.Commands;

/// <summary>
/// The <c>--json</c> reply of a command that acts on one agent: <c>{"agent", "stopping"}</c> for <c>stop</c>,
/// <c>{"agent", "steered"}</c> for <c>steer</c>.
/// </summary>
internal sealed record AgentCommandResult(string Agent, bool? Stopping = null, bool? Steered = null);
