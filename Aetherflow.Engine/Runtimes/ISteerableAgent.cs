namespace Aetherflow.Engine.Runtimes;

/// <summary>An agent that accepts a message while it runs (opencode sessions do; plain processes do not).</summary>
public interface ISteerableAgent
{
    /// <summary>Sends <paramref name="message"/> into the running agent, recorded as coming from <paramref name="sender"/>.</summary>
    Task SteerAsync(string message, string sender, CancellationToken cancellationToken);
}
