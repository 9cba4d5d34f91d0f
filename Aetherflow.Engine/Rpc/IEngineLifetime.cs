namespace Aetherflow.Engine.Rpc;

/// <summary>Lets an RPC client ask the process that hosts the engine to stop.</summary>
public interface IEngineLifetime
{
    /// <summary>Asks the host to shut down; <paramref name="requestedBy"/> is logged.</summary>
    void RequestShutdown(string requestedBy);
}
