namespace Aetherflow.Engine.Opencode;

/// <summary>The answer of <c>GET /global/health</c>.</summary>
public sealed record OpencodeHealth(bool Healthy, string Version);
