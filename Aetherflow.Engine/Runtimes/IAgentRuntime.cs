namespace Aetherflow.Engine.Runtimes;

/// <summary>
/// Starts agents. The pool drives every agent through this interface: the command runtime runs <c>spawn_cmd</c> child
/// processes; the opencode runtime drives opencode sessions over the server's HTTP API.
/// </summary>
public interface IAgentRuntime
{
    /// <summary><c>command</c> or <c>opencode</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Launches one agent and returns its handle once it is running. Throws <see cref="AgentLaunchException"/> with a
    /// one-line reason when the agent could not be started (the pool then undoes its claim).
    /// </summary>
    Task<IAgentHandle> StartAsync(AgentLaunch launch, CancellationToken cancellationToken);
}
