namespace Aetherflow.Engine.Sessions;

/// <summary>
/// The metadata keys aetherflow puts on the opencode sessions it creates (<c>POST /session {"metadata": …}</c>), so
/// the session itself says which agent and task it belongs to and the registry can be rebuilt from the server.
/// </summary>
public static class SessionMetadataKeys
{
    /// <summary>The agent's name (<see cref="SessionRecord.AgentId"/>).</summary>
    public const string Agent = "af_agent";

    /// <summary>The task or spawn id (<see cref="SessionRecord.WorkRef"/>).</summary>
    public const string Task = "af_task";

    /// <summary><c>pool</c>, <c>spawn</c> or <c>manual</c> (<see cref="SessionRecord.OriginType"/>).</summary>
    public const string Origin = "af_origin";

    /// <summary>The aetherflow project (<see cref="SessionRecord.Project"/>).</summary>
    public const string Project = "af_project";
}
